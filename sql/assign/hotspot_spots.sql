-- Hotspot cells of the as-of that deserve an assignment item: one row per (cell, category) with every hotspot kind
-- of that cell folded in. A table, not a CTE of hotspot_candidates.sql, because the earliest day the items' evidence
-- reaches back to is read from it first and handed to that query as a constant (see there).
CREATE OR REPLACE TEMP TABLE assign_spots AS
SELECT cell, category,
       max(count) AS count, max(z) AS z, list(DISTINCT kind ORDER BY kind) AS kinds,
       any_value(grid_id) AS grid_id, any_value(district) AS district, any_value(street) AS street,
       any_value(lon) AS lon, any_value(lat) AS lat,
       -- above the cell's own usual level: the scan says so, or Gi*'s own-level test did (hot, emerging and
       -- multi_category all passed it); a store written before the scan has only the kinds to go by
       bool_or(above_usual IS TRUE OR kind <> 'persistent') AS above_usual,
       max(strength) AS strength,
       -- the window the hotspot stage counted over; older stores without it: the configured length
       COALESCE(min(window_start), $as_of::DATE - $window_days::INTEGER) AS window_start
FROM hotspots
WHERE as_of = $as_of::DATE
  AND list_contains(string_split($kinds, ','), kind)
  -- the scan's cells need no Gi* z: a quiet cell whose orders tripled is news however low its z beside the busy core
  AND (z >= $min_z OR above_usual IS TRUE) AND count >= $min_count
GROUP BY cell, category;
