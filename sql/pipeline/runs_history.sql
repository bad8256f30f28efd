-- The latest runs with their duration and per-stage counts, newest first.
SELECT
  run_id,
  pipeline,
  as_of::VARCHAR                                            AS as_of,
  status,
  started_at::VARCHAR                                       AS started_at,
  ended_at::VARCHAR                                         AS ended_at,
  round(epoch(COALESCE(ended_at, current_localtimestamp()) - started_at), 1) AS seconds,
  counts::VARCHAR                                           AS counts,
  error
FROM runs
WHERE $pipeline IS NULL OR pipeline = $pipeline
ORDER BY started_at DESC
LIMIT $limit;
