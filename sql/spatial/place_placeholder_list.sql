-- The points that name no place, most orders first (data quality: which point, how many orders, what share, and the
-- first as-of at which the orders before it made the point one).
SELECT
  lon, lat, reason, orders, round(share, 4) AS share, names, top_name, round(top_share, 4) AS top_share,
  strftime(since, '%Y-%m-%d') AS since
FROM place_placeholders
ORDER BY orders DESC, lon, lat
LIMIT $limit;
