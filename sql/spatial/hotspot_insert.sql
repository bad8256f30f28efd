-- Replace the hotspots of this as-of with the cells just found, each with the grid, district and street most of its
-- orders of the past year were placed in.
DELETE FROM hotspots WHERE as_of = $as_of::DATE;

INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, p, q, kind, windows_hot, categories, grid_id, district, street, window_start, window_end)
WITH
cell_places AS (
  SELECT cell, mode(grid_id) AS grid_id, mode(district_r) AS district, mode(street_r) AS street
  FROM orders_enriched
  WHERE cell IN (SELECT cell FROM hs_rows)
    AND created_at >= $study_start::TIMESTAMP
    AND created_at <  $as_of::TIMESTAMP
  GROUP BY cell
)
SELECT
  $as_of::DATE, r.cell, r.lon, r.lat, nullif(r.category, ''), r.count, r.z, r.p, r.q, r.kind, r.windows_hot,
  r.categories::JSON, c.grid_id, c.district, c.street, $window_start::DATE, $as_of::DATE
FROM hs_rows r
LEFT JOIN cell_places c USING (cell)
ORDER BY r.kind, r.category, r.z DESC;
