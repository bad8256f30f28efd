-- Rows the reader could not parse at all (wrong column count, broken quoting, invalid JSON).
INSERT INTO quarantine (batch_seq, file, line, field, reason, reason_code, raw, quarantined_at)
SELECT $batch, $file, line, NULL, mask_pii(reason), code, mask_pii(mask_local_numbers(raw)), current_localtimestamp()
FROM ingest_unreadable;
