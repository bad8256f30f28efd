-- The records DuckDB's CSV reader rejected (its rejects table ingest_rej_err, one row per error) as unreadable rows:
-- one per line, with the first error's kind and message and the record's raw text.
INSERT INTO ingest_unreadable (line, reason, code, raw)
WITH errors_per_line AS (
  SELECT line, lower(min(error_type)) AS kind, min(error_message) AS message, min(csv_line) AS raw
  FROM temp.ingest_rej_err
  GROUP BY line
)
SELECT line, '无法读取的行：' || kind || '（' || message || '）', 'unreadable_line', raw
FROM errors_per_line;
