INSERT INTO ingested_files (batch_seq, path, content_hash, format, encoding, bytes, mapping, read, loaded, updated,
                            unchanged, quarantined, started_at, finished_at)
VALUES ($batch, $path, $hash, $format, $encoding, $bytes, $mapping, $read, $loaded, $updated, $unchanged,
        $quarantined, $started_at::TIMESTAMP, current_localtimestamp());
