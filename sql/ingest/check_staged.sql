-- The row-by-row way's failures: read from the staged rows (ingest_rows) rather than a second validation pass.
CREATE OR REPLACE TEMP VIEW ingest_check AS
SELECT _rec, _line, order_id, field, reason, reason_code, closed_unreadable, closed_outside
FROM ingest_rows;
