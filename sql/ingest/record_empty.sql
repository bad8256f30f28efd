-- A 0-byte file, recorded by its path (every empty file has the same hash, so the path is what tells them apart):
-- warned the night it appears, then skipped quietly while it stays empty. A new empty file elsewhere is warned.
INSERT INTO ingested_files (batch_seq, path, content_hash, format, encoding, bytes, mapping, read, loaded, updated,
                            unchanged, quarantined, started_at, finished_at)
VALUES ($batch, $path, $hash, $format, NULL, 0, 'empty', 0, 0, 0, 0, 0, current_localtimestamp(),
        current_localtimestamp());
