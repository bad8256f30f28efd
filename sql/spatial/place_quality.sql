-- Data quality of the places of the orders created in [$from, $to) — a hotspot run's window, where an order without
-- a cell cannot be in any hotspot — or of every order in the store when $from is NULL: how each was matched and
-- what its coordinates were.
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
FROM order_places p
WHERE $from::TIMESTAMP IS NULL
   OR p.order_id IN (SELECT order_id FROM orders WHERE created_at >= $from::TIMESTAMP AND created_at < $to::TIMESTAMP);
