-- A file refused whole (not a real workbook, over a size limit, headers that do not fit the mapping): one quarantine
-- row without a line, and a file record with nothing read, so the drop folder's next night skips the same bytes
-- instead of failing on them again. A fixed file has other bytes and loads.
INSERT INTO quarantine (batch_seq, file, line, field, reason, reason_code, raw, quarantined_at)
VALUES ($batch, $file, NULL, NULL, '整个文件未读入：' || mask_pii($reason), 'file_set_aside', NULL, current_localtimestamp());

INSERT INTO ingested_files (batch_seq, path, content_hash, format, encoding, bytes, mapping, read, loaded, updated,
                            unchanged, quarantined, started_at, finished_at)
VALUES ($batch, $file, $hash, $format, NULL, $bytes, 'set aside', 0, 0, 0, 0, 0, current_localtimestamp(),
        current_localtimestamp());
