-- Rows of the files loaded in batches after $after that ingest quarantined as created after its plausible window:
-- when they are most of a night's rows, the machine's clock is behind the exports (or the export's is ahead).
-- The window's end and the row's value are read from ingest's reason, "created_at outside the plausible window
-- (FROM … TO): VALUE" (src/ingest/dates.ts).
WITH dated AS (
  SELECT
    file,
    line,
    regexp_extract(reason, '… (\d{4}-\d{2}-\d{2})\): ', 1)                 AS window_to,
    regexp_extract(reason, '\): (\d{4}-\d{2}-\d{2})', 1)                   AS value_day
  FROM quarantine
  WHERE batch_seq > $after
    AND field = 'created_at'
    AND reason LIKE 'created_at outside the plausible window%'
),
after_window AS (
  SELECT file, line, window_to, value_day
  FROM dated
  WHERE try_cast(value_day AS DATE) > try_cast(window_to AS DATE)
)
SELECT
  count(*)::INTEGER                                  AS rows,
  any_value(window_to)                               AS window_to,
  arg_min(file || ' line ' || line::VARCHAR, value_day) AS example,
  min(value_day)                                     AS first_day,
  max(value_day)                                     AS last_day
FROM after_window;
