-- A file without records — 0 bytes, or a JSON document that holds none (`[]`, `{"service_requests": []}`, an API's
-- answer on a quiet day) — recorded by its path and content (identical quiet-day answers share one hash, so the path
-- is what tells them apart): warned the night it appears, then skipped quietly while it stays the same. A new such
-- file elsewhere is warned; new content at the path is read.
INSERT INTO ingested_files (batch_seq, path, content_hash, format, encoding, bytes, mapping, read, loaded, updated,
                            unchanged, quarantined, started_at, finished_at)
VALUES ($batch, $path, $hash, $format, NULL, $bytes, 'empty', 0, 0, 0, 0, 0, current_localtimestamp(),
        current_localtimestamp());
