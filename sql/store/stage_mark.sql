-- Remember the highest orders.seq a stage has processed.
INSERT OR REPLACE INTO stage_marks (stage, seq, updated_at)
SELECT $stage, COALESCE(max(seq), 0), current_localtimestamp() FROM orders;
