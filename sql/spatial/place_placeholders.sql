-- Coordinates that name no place, from every order in the store (the rule: docs/spatial.md, "Placeholder points").
-- shared: an exact point holding at least $min_orders orders, of which those naming a district — or those naming a
--   street — are at least half of $min_orders, give at least $min_names distinct names, and none of the names is
--   given by more than $max_top_share of them. A real address lies in one district and one street; a
--   geocoder's default (city hall, a district office, the city centroid) collects every order it could not place,
--   whatever district the order names (and many such orders name none: they are not counted for or against).
-- outside_box: a point outside the box of the $box_quantile … 1 − $box_quantile quantiles of the longitude and
--   latitude of the distinct 0.001° squares holding the orders' points, widened on each side by $box_widen times its
--   own size (at least $box_min_deg degrees): no city spreads its orders that far beyond where nearly all of them are.
-- place_placeholders holds the points the rule finds today; place_placeholder_spans (place_placeholder_spans.sql,
-- run next) the as-of dates at which the orders created before them made each point one.

-- orders per exact point: two numbers per order, no names (names are read for the busy points only)
CREATE OR REPLACE TEMP TABLE ph_points AS
SELECT lon, lat, count(*) AS n
FROM orders
WHERE place_coords(lon, lat) = 'ok'
GROUP BY lon, lat;

CREATE OR REPLACE TEMP TABLE ph_outside AS
WITH
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
    FROM (SELECT DISTINCT round(lon, 3) AS lon, round(lat, 3) AS lat FROM ph_points)
  )
)
SELECT p.lon, p.lat, p.n
FROM ph_points p, box b
WHERE p.lon < b.lon_min OR p.lon > b.lon_max OR p.lat < b.lat_min OR p.lat > b.lat_max;

-- the orders of the busy points and of the far ones, by day and names (names normalised later, once per group)
CREATE OR REPLACE TEMP TABLE ph_point_orders AS
WITH
wanted AS (
  SELECT lon, lat FROM ph_points WHERE n >= $min_orders
  UNION
  SELECT lon, lat FROM ph_outside
)
SELECT o.lon, o.lat, o.created_at::DATE AS day, o.district, o.street, count(*) AS k
FROM orders o SEMI JOIN wanted w ON o.lon = w.lon AND o.lat = w.lat
GROUP BY ALL;

DELETE FROM place_placeholders;

INSERT INTO place_placeholders (lon, lat, reason, orders, share, names, top_name, top_share)
WITH
total AS (
  SELECT sum(n) AS n FROM ph_points
),
busy AS (
  SELECT lon, lat, n FROM ph_points WHERE n >= $min_orders
),
busy_orders AS (
  SELECT o.lon, o.lat, o.district, o.street, sum(o.k) AS k
  FROM ph_point_orders o SEMI JOIN busy b ON o.lon = b.lon AND o.lat = b.lat
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
)
SELECT s.lon, s.lat, 'shared', s.n, s.n / t.n, s.names, s.top_name, s.top_share
FROM shared s, total t
UNION ALL
SELECT o.lon, o.lat, 'outside_box', o.n, o.n / t.n, NULL, NULL, NULL
FROM ph_outside o, total t
WHERE NOT EXISTS (SELECT 1 FROM shared s WHERE s.lon = o.lon AND s.lat = o.lat);

DROP TABLE ph_points;
