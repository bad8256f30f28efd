-- For each pipeline: its latest run of any status and its latest successful as-of, for `weisu health`.
WITH latest AS (
  SELECT pipeline, run_id, status, as_of, started_at, ended_at, error
  FROM runs
  QUALIFY row_number() OVER (PARTITION BY pipeline ORDER BY started_at DESC) = 1
),
-- a run replayed by hand with an as-of after today (the store's TimeZone is Asia/Shanghai) is not the last one, or
-- it would hide every missed run until that date
last_ok AS (
  SELECT pipeline, max(as_of) AS as_of FROM runs WHERE status = 'ok' AND as_of <= current_date GROUP BY pipeline
)
SELECT
  l.pipeline,
  l.run_id,
  l.status,
  l.as_of::VARCHAR     AS as_of,
  l.started_at::VARCHAR AS started_at,
  l.error,
  o.as_of::VARCHAR     AS last_ok_as_of
FROM latest l
LEFT JOIN last_ok o USING (pipeline);
