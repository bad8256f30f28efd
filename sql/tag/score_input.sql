-- What the scorer reads for each target order.
SELECT
  o.order_id,
  o.content,
  o.category,
  o.dispatch_count,
  o.reopened,
  o.dept,
  r.after_close,
  o.seq
FROM tag_targets t
JOIN orders      o USING (order_id)
JOIN tag_repeats r USING (order_id)
