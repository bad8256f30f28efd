-- Coordinates that name no place, from every order in the store (the rule: docs/spatial.md, "Placeholder points").
-- shared: an exact point holding at least $min_orders orders whose district names — or, when fewer than half of
--   them name a district, their street names — number at least $min_names with none naming more than $max_top_share
--   of them. A real address lies in one district; a geocoder's default (city hall, a district office, the city
--   centroid) collects every order it could not place, whatever district the order names.
-- outside_box: a point outside the box of the $box_quantile … 1 − $box_quantile quantiles of the longitude and
--   latitude of the distinct points the orders give, widened on each side by $box_widen times its own size (at least $box_min_deg degrees): no city
--   spreads its orders that far beyond where nearly all of them are.
DELETE FROM place_placeholders;

INSERT INTO place_placeholders (lon, lat, reason, orders, share, names, top_name, top_share)
WITH
-- one pass over the orders: orders per exact point and the names they give (names normalised afterwards, per group)
by_point_name AS MATERIALIZED (
  SELECT lon, lat, district, street, count(*) AS k
  FROM orders
  WHERE place_coords(lon, lat) = 'ok'
  GROUP BY ALL
),
by_point AS MATERIALIZED (
  SELECT lon, lat, sum(k) AS n FROM by_point_name GROUP BY lon, lat
),
total AS (
  SELECT sum(n) AS n FROM by_point
),
busy AS (
  SELECT lon, lat, n FROM by_point WHERE n >= $min_orders
),
busy_names AS (
  SELECT b.lon, b.lat, 'district' AS level, place_key(x.district) AS name, x.k
  FROM busy b JOIN by_point_name x USING (lon, lat)
  UNION ALL
  SELECT b.lon, b.lat, 'street' AS level, place_key(x.street) AS name, x.k
  FROM busy b JOIN by_point_name x USING (lon, lat)
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
-- the district names when at least half of the point's orders give one, else the street names
spread_used AS (
  SELECT s.*, b.n
  FROM spread s JOIN busy b USING (lon, lat)
  WHERE s.named * 2 >= b.n
  QUALIFY row_number() OVER (PARTITION BY s.lon, s.lat ORDER BY s.level) = 1
),
shared AS (
  SELECT lon, lat, n, names, top_name, top / named AS top_share
  FROM spread_used
  WHERE names >= $min_names AND top / named <= $max_top_share
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
    FROM by_point
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
