-- Data quality of the places of the orders created in [$from, $to) — a hotspot run's window, where an order without
-- a cell cannot be in any hotspot — or of every order in the store when $from is NULL: how each was matched and
-- what its coordinates were. With a window, an order at a point of place_placeholder_spans is a placeholder (no cell)
-- only when a stretch of the point holds the as-of $to, as in the hotspots themselves (hotspot_area.sql); its match
-- and street stay as placed today.
WITH
span_points AS (
  SELECT
    lon, lat, any_value(cell) AS cell,
    bool_or(since <= $to::DATE AND (until IS NULL OR $to::DATE < until)) AS no_place
  FROM place_placeholder_spans
  WHERE $from::TIMESTAMP IS NOT NULL
  GROUP BY lon, lat
),
in_window AS (
  SELECT o.order_id, s.lon IS NOT NULL AS at_span, s.no_place, s.cell
  FROM orders o
  LEFT JOIN span_points s ON s.lon = o.lon AND s.lat = o.lat
  WHERE o.created_at >= $from::TIMESTAMP AND o.created_at < $to::TIMESTAMP
),
placed AS (
  SELECT
    p.match, p.street,
    CASE
      WHEN NOT COALESCE(w.at_span, false) THEN p.coord_status
      WHEN w.no_place THEN 'placeholder'
      WHEN p.coord_status = 'placeholder' THEN 'unchecked'
      ELSE p.coord_status
    END AS coord_status,
    CASE WHEN NOT COALESCE(w.at_span, false) THEN p.cell WHEN w.no_place THEN NULL ELSE w.cell END AS cell
  FROM order_places p
  LEFT JOIN in_window w USING (order_id)
  WHERE $from::TIMESTAMP IS NULL OR w.order_id IS NOT NULL
)
SELECT
  count(*)                                            AS orders,
  count(*) FILTER (WHERE match = 'point')             AS match_point,
  count(*) FILTER (WHERE match = 'name')              AS match_name,
  count(*) FILTER (WHERE match = 'none')              AS match_none,
  count(*) FILTER (WHERE street IS NULL)              AS no_street,
  count(*) FILTER (WHERE coord_status = 'outside')    AS coords_outside,
  count(*) FILTER (WHERE coord_status = 'missing')    AS coords_missing,
  count(*) FILTER (WHERE coord_status = 'invalid')    AS coords_invalid,
  count(*) FILTER (WHERE coord_status = 'placeholder') AS coords_placeholder,
  count(*) FILTER (WHERE cell IS NOT NULL)            AS with_cell
FROM placed;
