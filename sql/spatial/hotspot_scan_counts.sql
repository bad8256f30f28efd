-- Orders per layer × study-area cell × week bin over the study period, for the space-time permutation scan
-- (src/spatial/scan.ts): bin 0 holds the 7 days before as-of, bin 1 the 7 before those, …, bin $weeks the rest of
-- the study period. Layer 0 is all categories, the others are the tested categories of hs_categories (the Gi* layers).
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
JOIN hs_categories c USING (cat2)
GROUP BY ALL
UNION ALL
SELECT 0 AS cat, idx, bin, count(*)::INTEGER AS n
FROM study_orders
GROUP BY ALL;
