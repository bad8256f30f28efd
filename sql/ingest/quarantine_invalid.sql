-- Rows that were read but failed validation, with their raw fields (PII masked) for whoever fixes the export.
INSERT INTO quarantine (batch_seq, file, line, field, reason, reason_code, raw, quarantined_at)
SELECT $batch, $file, c._line, c.field, mask_pii(c.reason), c.reason_code, mask_pii(m._raw), current_localtimestamp()
FROM ingest_check c
JOIN (SELECT _rec, _raw FROM ingest_mapped
      WHERE _rec IN (SELECT _rec FROM ingest_check WHERE reason IS NOT NULL)) m USING (_rec)
WHERE c.reason IS NOT NULL;
