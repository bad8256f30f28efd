-- Rejected records' numbers (DuckDB counts records, not lines) mapped to the physical line each starts on: csv.ts
-- appends the pairs to ingest_line_fix (record, line), this puts them in place.
UPDATE ingest_unreadable
SET line = f.line
FROM ingest_line_fix f
WHERE ingest_unreadable.line = f.record;
