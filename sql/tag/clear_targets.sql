-- The targets' old tags and flags, before write.sql puts this run's in their place.
DELETE FROM order_tags WHERE order_id IN (SELECT order_id FROM tag_input);
DELETE FROM order_flags WHERE order_id IN (SELECT order_id FROM tag_input);
