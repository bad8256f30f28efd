-- The last load of the same bytes ($h: the file's sha256); a file set aside counts too.
SELECT read, quarantined, mapping
FROM ingested_files
WHERE content_hash = $h
ORDER BY batch_seq DESC
LIMIT 1;
