-- Whether this path was recorded with these bytes as a file without records before (record_empty.sql): a 0-byte file
-- (its hash is that of no bytes) or a JSON document holding none.
SELECT count(*)::INTEGER AS n
FROM ingested_files
WHERE path = $path AND content_hash = $hash AND mapping = 'empty';
