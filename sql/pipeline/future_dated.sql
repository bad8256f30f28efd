-- Rows of the files loaded in batches after $after that ingest quarantined as created after its plausible window:
-- when they are most of a night's rows, the machine's clock is behind the exports (or the export's is ahead).
-- Ingest words that reason "受理时间 created_at 晚于合理日期范围（FROM … TO）：VALUE" (sql/ingest/typed_rows.sql);
-- VALUE is the export's own text, in whatever date style it has.
WITH after_window AS (
  SELECT
    file,
    line,
    regexp_extract(reason, '… (\d{4}-\d{2}-\d{2})）', 1)  AS window_to,
    regexp_extract(reason, '）：(.*)$', 1)                  AS value
  FROM quarantine
  WHERE batch_seq > $after
    AND field = 'created_at'
    AND reason LIKE '受理时间 created_at 晚于合理日期范围%'
)
SELECT
  count(*)::INTEGER                                                   AS rows,
  any_value(window_to)                                                AS window_to,
  arg_min(file || ' 第 ' || line::VARCHAR || ' 行（' || value || '）', line) AS example
FROM after_window;
