-- Orders per window × level-2 category × study-area cell, and per window × cell over all categories. Only categories
-- with enough placed orders in the current window (offset 0) are tested.
WITH
placed AS (
  SELECT e.created_at, e.cat2, a.idx
  FROM orders_enriched e
  JOIN hs_area a USING (cell)
  WHERE e.created_at >= $from::TIMESTAMP
    AND e.created_at <  $as_of::TIMESTAMP
),
in_windows AS (
  SELECT w.o, p.cat2, p.idx
  FROM placed p
  JOIN hs_windows w ON p.created_at >= w.w_start::TIMESTAMP AND p.created_at < w.w_end::TIMESTAMP
),
tested_categories AS (
  SELECT cat2 FROM in_windows WHERE o = 0 GROUP BY cat2 HAVING count(*) >= $min_category
)
SELECT o, cat2 AS category, idx, count(*)::INTEGER AS n
FROM in_windows
WHERE cat2 IN (SELECT cat2 FROM tested_categories)
GROUP BY o, cat2, idx
UNION ALL
SELECT o, '' AS category, idx, count(*)::INTEGER AS n
FROM in_windows
GROUP BY o, idx;
