-- Root-cause shares among last month's in-scope orders, per level-1 and level-2 category. The pseudo-tag
-- '结构性' counts orders carrying at least one structural cause (each order once).
WITH order_causes AS (
  SELECT DISTINCT o.order_id, o.cat1, o.cat2, t.tag
  FROM topic_orders o
  JOIN order_tags t USING (order_id)
  WHERE t.confidence >= $min_confidence
),
structural_orders AS (
  SELECT DISTINCT order_id, cat1, cat2, '结构性' AS tag
  FROM order_causes
  WHERE list_contains(string_split($structural, ','), tag)
),
causes AS (
  SELECT * FROM order_causes
  UNION ALL
  SELECT * FROM structural_orders
)
SELECT
  CASE WHEN GROUPING(cat2) = 1 THEN cat1 ELSE cat2 END AS category,
  tag,
  count(*) AS n
FROM causes
GROUP BY GROUPING SETS ((cat1, tag), (cat1, cat2, tag))
HAVING GROUPING(cat2) = 1 OR cat2 <> cat1;
