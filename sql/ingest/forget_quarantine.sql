-- A reloaded file's rows are judged afresh: the quarantine rows of every earlier load of the same content go.
DELETE FROM quarantine
WHERE batch_seq IN (SELECT batch_seq FROM ingested_files WHERE content_hash = $hash);
