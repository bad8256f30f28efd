-- The latest hotspot snapshot (within five weeks of the as-of): one row per cell, its strongest category. The
-- count is that category's orders in the cell (not the largest count of any row of the cell), beside all the
-- cell's orders in the same window, so "类别件数/全部件数" reads as one row of the table.
WITH snap AS (
  SELECT max(as_of) AS as_of FROM hotspots WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 35 DAY
),
cells AS (
  SELECT h.*
  FROM hotspots h, snap
  WHERE h.as_of = snap.as_of
),
strongest AS (
  SELECT
    cell,
    any_value(lon)                                    AS lon,
    any_value(lat)                                    AS lat,
    arg_max(coalesce(category, '（综合）'), z)         AS category,
    arg_max(count, z)                                 AS count,
    max(z)                                            AS z,
    arg_max(kind, z)                                  AS kind,
    string_agg(DISTINCT kind, ',' ORDER BY kind)      AS kinds,
    any_value(street)                                 AS street,
    any_value(as_of)                                  AS as_of,
    any_value(window_start)                           AS window_start,
    any_value(window_end)                             AS window_end,
    count(*) OVER ()                                  AS cells_total
  FROM cells
  GROUP BY cell
  ORDER BY max(z) DESC
  LIMIT $limit
),
-- All orders of the listed cells in their windows. Read from the window's orders, never by joining every order with
-- every place: that join hashes the whole store (10M orders ran the report out of memory). Orders are bounded by the
-- windows' span in the scan; only their places are hashed and probed, so memory follows one window, not the store.
span AS (
  SELECT min(window_start) AS lo, max(window_end) AS hi FROM strongest
),
window_orders AS MATERIALIZED (
  SELECT o.order_id, o.created_at
  FROM orders o, span
  WHERE o.created_at >= span.lo AND o.created_at < span.hi
),
window_places AS (
  SELECT p.order_id, p.cell
  FROM order_places p
  SEMI JOIN window_orders w USING (order_id)
  WHERE p.cell IN (SELECT cell FROM strongest)
),
-- the window test is a FILTER, not a join condition: as a condition DuckDB joined every window order with every
-- listed cell by range first (orders × cells rows) before matching the cells
cell_orders AS (
  SELECT s.cell, nullif(count(*) FILTER (WHERE o.created_at >= s.window_start AND o.created_at < s.window_end), 0) AS n
  FROM window_places p
  JOIN window_orders o USING (order_id)
  JOIN strongest s ON s.cell = p.cell
  GROUP BY s.cell
)
SELECT
  s.cell, s.lon, s.lat, s.category, s.count,
  coalesce(c.n, s.count)::INTEGER                    AS all_count,
  s.z, s.kind, s.kinds, s.street, s.cells_total::INTEGER AS cells_total,
  strftime(s.as_of, '%Y-%m-%d')                      AS as_of,
  strftime(s.window_start, '%Y-%m-%d')               AS window_start,
  strftime(s.window_end - INTERVAL 1 DAY, '%Y-%m-%d') AS window_last
FROM strongest s
LEFT JOIN cell_orders c USING (cell)
ORDER BY s.z DESC, s.cell;
