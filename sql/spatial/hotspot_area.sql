-- The study area: every cell holding an order in the year before as-of. Its cells with no order in a window take
-- part in Gi* with a zero count; leaving them out would inflate the mean and hide real clusters. n_study (the cell's
-- orders of the year) is its exposure: how busy it is in general.
CREATE OR REPLACE TEMP TABLE hs_area AS
SELECT cell, row_number() OVER (ORDER BY cell)::INTEGER - 1 AS idx, count(*)::INTEGER AS n_study
FROM orders_enriched
WHERE cell IS NOT NULL
  AND created_at >= $study_start::TIMESTAMP
  AND created_at <  $as_of::TIMESTAMP
GROUP BY cell;
