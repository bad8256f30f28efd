-- Times are the store's local time (Store.open sets its zone), as in `runs`: started_at comes as an instant
-- (ISO with Z) and is turned into local time here; finished_at is taken here.
INSERT INTO ingested_files (batch_seq, path, content_hash, format, encoding, bytes, mapping, read, loaded, updated,
                            unchanged, quarantined, started_at, finished_at)
VALUES ($batch, $path, $hash, $format, $encoding, $bytes, $mapping, $read, $loaded, $updated, $unchanged,
        $quarantined, $started_at::TIMESTAMPTZ::TIMESTAMP, current_localtimestamp());
