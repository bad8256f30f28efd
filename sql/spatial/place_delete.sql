-- The pending orders' earlier places, replaced by this run.
DELETE FROM order_places WHERE order_id IN (SELECT order_id FROM orders WHERE seq > $mark);
