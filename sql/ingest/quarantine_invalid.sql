-- Rows that were read but failed validation, with their raw fields (PII masked) for whoever fixes the export.
INSERT INTO quarantine (batch_seq, file, line, field, reason, raw, quarantined_at)
SELECT $batch, $file, r._line, r.field, r.reason, mask_pii(m._raw), current_localtimestamp()
FROM ingest_rows r
JOIN (SELECT _rec, _raw FROM ingest_mapped
      WHERE _rec IN (SELECT _rec FROM ingest_rows WHERE reason IS NOT NULL)) m USING (_rec)
WHERE r.reason IS NOT NULL;
