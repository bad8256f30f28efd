-- Orders per layer × study-area cell × week bin over the study period, for the space-time permutation scan
-- (src/spatial/scan.ts): bin 0 holds the 7 days before as-of, bin 1 the 7 before those, …, bin $weeks the rest of
-- the study period. Layer 0 is all categories, the others are the level-2 categories with at least $min_count orders
-- in the last $weeks weeks (hs_scan_categories, numbered by name): a layer with fewer cannot hold a cylinder, and the
-- scan, calibrated by its own replicas, needs no larger minimum. Gi*'s minCategoryCount (hs_categories) is not used
-- here: a rare category whose first planted week put 8 orders into one cell was not scanned until those orders
-- themselves lifted it over Gi*'s 20.
CREATE OR REPLACE TEMP TABLE hs_scan_categories AS
WITH
recent_orders AS (
  SELECT cat2, count(*) AS n
  FROM hs_placed
  WHERE day >= $as_of::DATE - 7 * $weeks::INTEGER
    AND cat2 IS NOT NULL
  GROUP BY cat2
)
SELECT row_number() OVER (ORDER BY cat2)::INTEGER AS cat, cat2
FROM recent_orders
WHERE n >= $min_count;

CREATE OR REPLACE TEMP TABLE hs_scan AS
WITH
study_orders AS (
  SELECT least(CAST(($as_of::DATE - p.day - 1) // 7 AS INTEGER), $weeks::INTEGER) AS bin, p.cat2, a.idx
  FROM hs_placed p
  JOIN hs_area a USING (cell)
  WHERE p.day >= $study_start::DATE
)
SELECT c.cat, s.idx, s.bin, count(*)::INTEGER AS n
FROM study_orders s
JOIN hs_scan_categories c USING (cat2)
GROUP BY ALL
UNION ALL
SELECT 0 AS cat, idx, bin, count(*)::INTEGER AS n
FROM study_orders
GROUP BY ALL;
