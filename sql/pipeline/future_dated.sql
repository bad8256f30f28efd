-- Rows of the files loaded in batches after $after that ingest quarantined as created after its plausible window:
-- when they are most of a night's rows, the machine's clock is behind the exports (or the export's is ahead).
-- Found by the quarantine's reason code (sql/schema/0011_quarantine_reason_code.sql), never by its wording, which is
-- text for people; the first such row's reason is shown as it is.
SELECT
  count(*)::INTEGER                                                    AS rows,
  arg_min(file || ' 第 ' || line::VARCHAR || ' 行（' || reason || '）', line) AS example
FROM quarantine
WHERE batch_seq > $after
  AND reason_code = 'created_after_window';
