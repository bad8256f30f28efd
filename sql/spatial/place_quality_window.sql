-- The same data-quality counts for the orders created in [$from, $to): the window a hotspot run reads. An order
-- the window holds but no cell does is one the hotspots cannot see, whatever the store's older orders looked like.
WITH window_orders AS (
  SELECT order_id FROM orders WHERE created_at >= $from::TIMESTAMP AND created_at < $to::TIMESTAMP
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
  count(*) FILTER (WHERE cell IS NOT NULL)            AS with_cell
FROM order_places p
SEMI JOIN window_orders w ON w.order_id = p.order_id;
