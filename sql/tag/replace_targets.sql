-- The targets' old tags and flags go, and tag_write_input names what write.sql puts in their place: each target's
-- id, seq and repeat flags by row number (rn), from tag_input.
DELETE FROM order_tags WHERE order_id IN (SELECT order_id FROM tag_input);
DELETE FROM order_flags WHERE order_id IN (SELECT order_id FROM tag_input);

CREATE OR REPLACE TEMP VIEW tag_write_input AS
SELECT rn, orow, order_id, seq, is_repeat, repeat_kind, repeat_of FROM tag_input;
