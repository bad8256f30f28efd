-- The sampled order texts of the new_topic test (detect_topic_sample, see topic_sample.sql) with their
-- fortnight before the recent window and their place resolved as orders_enriched resolves it (its flags play no
-- part here). Rows come in sample order: window, hash, order_id.
WITH sample_places AS (
  -- semi-joined first, so the hash table holds the sampled ids rather than every order's place (10M rows)
  SELECT p.order_id, p.district, p.street FROM order_places p SEMI JOIN detect_topic_sample USING (order_id)
)
SELECT
  s.win,
  ($recent_start::DATE - date_trunc('week', s.created_at)::DATE) // 14 AS fortnight,
  s.content,
  s.cat1,
  s.cat2,
  coalesce(p.district, s.district)                                      AS district,
  coalesce(p.street, s.street)                                          AS street,
  s.window_orders
FROM detect_topic_sample s
LEFT JOIN sample_places p USING (order_id)
ORDER BY s.win, s.h, s.order_id;
