-- replace_targets.sql when every stored order is a target (a first run, or a re-tag after the lexicon, sample,
-- rules or settings changed). All old rows go, without the semi-join on order_id (1M ids hashed and probed twice:
-- ~0.4 s of a 1M-order re-tag). The ids and seq come from orders by row: with orders — a stored table, which
-- DuckDB scans in parallel — driving the joins, write.sql's inserts run on both cores instead of one (tag_input was
-- made in this transaction and is scanned on one thread): 1.4–2.0 → 1.0–1.4 s for the tags of 1M orders,
-- 0.63–0.79 → 0.43–0.56 s for the flags. On an increment that would scan every stored order for a few thousand
-- targets, hence the two files.
DELETE FROM order_tags;
DELETE FROM order_flags;

CREATE OR REPLACE TEMP VIEW tag_write_input AS
SELECT i.rn, o.rowid AS orow, o.order_id, o.seq, i.is_repeat, i.repeat_kind, i.repeat_of
FROM orders o
JOIN tag_input i ON i.orow = o.rowid;
