-- Order texts of the last 2 complete weeks ('recent'), the 26 weeks before ('prior') and the same weeks a year
-- earlier ±2 weeks ('last_year', so a phrase that returns every season is not taken for a new one), a
-- deterministic sample of each (by a hash of order_id), with how many orders each window holds in full so
-- counts can be scaled back.
WITH windowed AS (
  SELECT
    order_id,
    content,
    cat2,
    district_r AS district,
    street_r   AS street,
    CASE WHEN created_at >= $recent_start::DATE THEN 'recent'
         WHEN created_at >= $prior_start::DATE  THEN 'prior'
         ELSE 'last_year' END                                                   AS win,
    ($recent_start::DATE - date_trunc('week', created_at)::DATE) // 14       AS fortnight
  FROM orders_enriched
  WHERE ((created_at >= $prior_start::DATE AND created_at < $recent_end::DATE)
         OR (created_at >= $last_year_start::DATE AND created_at < $last_year_end::DATE))
    AND created_at <  $as_of::DATE
    AND content IS NOT NULL
)
SELECT
  win, fortnight, content, cat2, district, street,
  count(*) OVER (PARTITION BY win) AS window_orders
FROM windowed
QUALIFY row_number() OVER (PARTITION BY win ORDER BY hash(order_id), order_id)
        <= CASE WHEN win = 'recent' THEN $sample_recent WHEN win = 'last_year' THEN $sample_recent * 3 ELSE $sample_prior END;
