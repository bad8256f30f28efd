-- The last load of the same bytes ($h: the file's sha256); a file set aside counts too.
SELECT read, quarantined, mapping
FROM ingested_files
WHERE content_hash = $h
  -- a file without records is recorded by its path (record_empty.sql): the same bytes elsewhere are warned afresh
  AND mapping IS DISTINCT FROM 'empty'
ORDER BY batch_seq DESC
LIMIT 1;
