-- Whether this path was recorded as a 0-byte file before (record_empty.sql).
SELECT count(*)::INTEGER AS n
FROM ingested_files
WHERE path = $path AND bytes = 0 AND mapping = 'empty';
