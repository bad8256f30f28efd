-- The hotspots stored for an as-of, in the order $sort names (read-hotspots.ts HOTSPOT_SORTS); ties by cell and
-- category, so a re-run prints the same. Each sort key below is NULL (no effect) unless $sort selects it:
--   kind:     multi_category, emerging, hot, persistent; then z
--   strength: above its usual level first, then the scan's log-likelihood ratio, then Gi*'s z
--   z:        z
--   count:    count, then z
SELECT cell, lon, lat, category, count, z, kind, p, q, windows_hot, categories::VARCHAR AS categories, grid_id,
       district, street, strength, scan_p, scan_weeks, expected, above_usual
FROM hotspots
WHERE as_of = $as_of::DATE
ORDER BY
  CASE WHEN $sort = 'kind' THEN
    CASE kind WHEN 'multi_category' THEN 0 WHEN 'emerging' THEN 1 WHEN 'hot' THEN 2 ELSE 3 END
  END,
  CASE WHEN $sort = 'strength' THEN above_usual IS TRUE END DESC,
  CASE WHEN $sort = 'strength' THEN strength END DESC NULLS LAST,
  CASE WHEN $sort = 'count' THEN count END DESC,
  z DESC,
  cell,
  category NULLS FIRST;
