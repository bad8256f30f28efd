-- Replace the hotspots of this as-of with the cells just found, each with the grid, district and street most of its
-- orders of the past year were placed in (hs_area).
DELETE FROM hotspots WHERE as_of = $as_of::DATE;

INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, p, q, kind, windows_hot, categories, grid_id, district, street, window_start, window_end,
                      strength, scan_p, scan_weeks, expected, above_usual)
SELECT
  $as_of::DATE, r.cell, r.lon, r.lat, nullif(r.category, ''), r.count, r.z, r.p, r.q, r.kind, r.windows_hot,
  r.categories::JSON, a.grid_id, a.district, a.street, $window_start::DATE, $as_of::DATE,
  r.strength, r.scan_p, r.scan_weeks, r.expected, r.above_usual
FROM hs_rows r
LEFT JOIN hs_area a USING (cell)
ORDER BY r.kind, r.category, r.z DESC;
