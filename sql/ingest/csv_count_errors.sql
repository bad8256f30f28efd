-- Unreadable rows whose DuckDB reason is a field count (too few or too many): csv.ts restates it with the row's own
-- count, which DuckDB's message gets wrong.
SELECT line, raw
FROM ingest_unreadable
WHERE reason LIKE '无法读取的行：missing columns%' OR reason LIKE '无法读取的行：too many columns%';
