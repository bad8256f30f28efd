-- Last month's in-scope orders of one category, the pool typical orders are chosen from. A fixed hash order
-- makes the sample deterministic when the category has more orders than the pool holds.
SELECT
  order_id,
  strftime(created_at, '%Y-%m-%d') AS day,
  coalesce(district, '') AS district,
  coalesce(street, '')   AS street,
  content
FROM topic_orders
WHERE (cat2 = $category OR cat1 = $category)
  AND content IS NOT NULL AND length(trim(content)) > 0
ORDER BY hash(order_id), order_id
LIMIT $pool;
