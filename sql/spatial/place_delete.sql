-- The pending orders' earlier places, replaced by this run.
DELETE FROM order_places WHERE order_id IN (SELECT order_id FROM orders o WHERE (o.seq > $mark OR EXISTS (SELECT 1 FROM place_redo r WHERE r.lon = o.lon AND r.lat = o.lat)));
