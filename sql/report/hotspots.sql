-- The latest hotspot snapshot (within five weeks of the as-of): one row per cell, its strongest category.
WITH snap AS (
  SELECT max(as_of) AS as_of FROM hotspots WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 35 DAY
),
cells AS (
  SELECT h.*
  FROM hotspots h, snap
  WHERE h.as_of = snap.as_of
)
SELECT
  cell,
  any_value(lon)                                    AS lon,
  any_value(lat)                                    AS lat,
  arg_max(coalesce(category, '（综合）'), z)         AS category,
  max(count)                                        AS count,
  max(z)                                            AS z,
  arg_max(kind, z)                                  AS kind,
  string_agg(DISTINCT kind, ',' ORDER BY kind)      AS kinds,
  any_value(street)                                 AS street,
  strftime(any_value(as_of), '%Y-%m-%d')            AS as_of
FROM cells
GROUP BY cell
ORDER BY max(z) DESC
LIMIT $limit;
