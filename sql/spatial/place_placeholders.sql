-- Coordinates that name no place, from every order in the store (the rule: docs/spatial.md, "Placeholder points").
-- shared: an exact point holding at least $min_orders orders, of which those naming a district — or those naming a
--   street — are at least half of $min_orders, give at least $min_names distinct names, and none of the names is
--   given by more than $max_top_share of them. A real address lies in one district and one street; a
--   geocoder's default (city hall, a district office, the city centroid) collects every order it could not place,
--   whatever district the order names (and many such orders name none: they are not counted for or against).
-- outside_box: a point outside the box of the $box_quantile … 1 − $box_quantile quantiles of the longitude and
--   latitude of the distinct 0.001° squares holding the orders' points, widened on each side by $box_widen times its own size (at least $box_min_deg degrees): no city
--   spreads its orders that far beyond where nearly all of them are.
DELETE FROM place_placeholders;

INSERT INTO place_placeholders (lon, lat, reason, orders, share, names, top_name, top_share)
WITH
-- orders per exact point: two numbers per order, no names (names are read for the busy points only)
by_point AS MATERIALIZED (
  SELECT lon, lat, count(*) AS n
  FROM orders
  WHERE place_coords(lon, lat) = 'ok'
  GROUP BY lon, lat
),
total AS (
  SELECT sum(n) AS n FROM by_point
),
busy AS (
  SELECT lon, lat, n FROM by_point WHERE n >= $min_orders
),
-- the names the busy points' orders give (names normalised once per group)
busy_orders AS MATERIALIZED (
  SELECT o.lon, o.lat, o.district, o.street, count(*) AS k
  FROM orders o SEMI JOIN busy b ON o.lon = b.lon AND o.lat = b.lat
  GROUP BY ALL
),
busy_names AS (
  SELECT lon, lat, 'district' AS level, place_key(district) AS name, k FROM busy_orders
  UNION ALL
  SELECT lon, lat, 'street' AS level, place_key(street) AS name, k FROM busy_orders
),
name_counts AS (
  SELECT lon, lat, level, name, sum(k) AS k
  FROM busy_names
  WHERE name IS NOT NULL
  GROUP BY ALL
),
spread AS (
  SELECT lon, lat, level, count(*) AS names, sum(k) AS named, max(k) AS top, arg_max(name, k) AS top_name
  FROM name_counts
  GROUP BY ALL
),
-- the first level (district, then street) whose names show the spread
shared AS (
  SELECT s.lon, s.lat, b.n, s.names, s.top_name, s.top / s.named AS top_share
  FROM spread s JOIN busy b USING (lon, lat)
  WHERE s.named * 2 >= $min_orders AND s.names >= $min_names AND s.top / s.named <= $max_top_share
  QUALIFY row_number() OVER (PARTITION BY s.lon, s.lat ORDER BY s.level) = 1
),
box AS (
  SELECT
    lon_lo - greatest((lon_hi - lon_lo) * $box_widen, $box_min_deg) AS lon_min,
    lon_hi + greatest((lon_hi - lon_lo) * $box_widen, $box_min_deg) AS lon_max,
    lat_lo - greatest((lat_hi - lat_lo) * $box_widen, $box_min_deg) AS lat_min,
    lat_hi + greatest((lat_hi - lat_lo) * $box_widen, $box_min_deg) AS lat_max
  FROM (
    SELECT
      quantile_cont(lon, $box_quantile) AS lon_lo, quantile_cont(lon, 1 - $box_quantile) AS lon_hi,
      quantile_cont(lat, $box_quantile) AS lat_lo, quantile_cont(lat, 1 - $box_quantile) AS lat_hi
    -- one row per 0.001° square holding any point (the same box as from the points themselves, a fraction of the rows)
    FROM (SELECT DISTINCT round(lon, 3) AS lon, round(lat, 3) AS lat FROM by_point)
  )
),
outside AS (
  SELECT p.lon, p.lat, p.n
  FROM by_point p, box b
  WHERE p.lon < b.lon_min OR p.lon > b.lon_max OR p.lat < b.lat_min OR p.lat > b.lat_max
)
SELECT s.lon, s.lat, 'shared', s.n, s.n / t.n, s.names, s.top_name, s.top_share
FROM shared s, total t
UNION ALL
SELECT o.lon, o.lat, 'outside_box', o.n, o.n / t.n, NULL, NULL, NULL
FROM outside o, total t
WHERE NOT EXISTS (SELECT 1 FROM shared s WHERE s.lon = o.lon AND s.lat = o.lat);
