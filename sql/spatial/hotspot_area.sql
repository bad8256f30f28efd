-- The placed orders the stage needs, read once: from $read_start (the study year's start, or the earliest window's if
-- that lies further back) to as-of. The study area, the window counts and the cells' places all come from this table.
-- orders_placed, not orders_enriched: no flag is needed, and joining them costs seconds on a big store. The bounds
-- are constants, so DuckDB filters orders in the scan before joining their places; a day is all the later queries
-- need of created_at (every bound is a date).
-- Orders of the channels in $exclude_channels (joined by chr(31); '' for none) are left out: where an export marks the
-- orders the city's own staff log (Boston 311: 'Employee Generated', 'City Worker App'), a crew recording its day's
-- repairs is a burst of records at one place, not residents' demand, and half of the scan's hotspots there were such.
-- A point that named no place at some as-of (place_placeholder_spans) gives its orders no cell when a stretch of it
-- holds this as-of, and its own cell otherwise: only the orders before the as-of decide (CONTRACT §2), whatever
-- order_places says today. Every other order keeps its cell from order_places.
CREATE OR REPLACE TEMP TABLE hs_placed AS
WITH
span_points AS (
  SELECT
    lon, lat, any_value(cell) AS cell,
    bool_or(since <= $as_of::DATE AND (until IS NULL OR $as_of::DATE < until)) AS no_place
  FROM place_placeholder_spans
  GROUP BY lon, lat
),
placed AS (
  SELECT
    o.created_at::DATE AS day, o.cat2,
    CASE WHEN s.lon IS NULL THEN o.cell WHEN s.no_place THEN NULL ELSE s.cell END AS cell,
    o.grid_id, o.district_r, o.street_r
  FROM orders_placed o
  LEFT JOIN span_points s ON s.lon = o.lon AND s.lat = o.lat
  WHERE o.created_at >= $read_start::TIMESTAMP
    AND o.created_at <  $as_of::TIMESTAMP
    AND ($exclude_channels = '' OR o.channel IS NULL
         OR NOT list_contains(string_split($exclude_channels, chr(31)), o.channel))
)
SELECT day, cat2, cell, grid_id, district_r, street_r
FROM placed
WHERE cell IS NOT NULL;

-- The study area: every cell holding an order in the year before as-of. Its cells with no order in a window take
-- part in Gi* with a zero count; leaving them out would inflate the mean and hide real clusters. n_study (the cell's
-- orders of the year) is its exposure: how busy it is in general. grid_id, district and street are where most of
-- the cell's orders of the year were placed (written with its hotspot rows).
CREATE OR REPLACE TEMP TABLE hs_area AS
SELECT
  cell,
  row_number() OVER (ORDER BY cell)::INTEGER - 1 AS idx,
  count(*)::INTEGER                              AS n_study,
  mode(grid_id)                                  AS grid_id,
  mode(district_r)                               AS district,
  mode(street_r)                                 AS street
FROM hs_placed
WHERE day >= $study_start::DATE
GROUP BY cell;
