-- A failed run the store could not record when it failed (a full disk), from the file kept beside the store
-- (src/pipeline/lock.ts). Its row may exist as 'running' (the run started, then the disk filled) or not at all
-- (the store could not even be opened). Times come as UTC ISO strings and are stored as local time like the rest.
UPDATE runs
SET status = 'failed', ended_at = CAST($ended_at::TIMESTAMPTZ AS TIMESTAMP), error = $error
WHERE run_id = $run_id;

INSERT INTO runs (run_id, pipeline, as_of, started_at, ended_at, status, error, pid, host)
SELECT $run_id, $pipeline, $as_of::DATE, CAST($started_at::TIMESTAMPTZ AS TIMESTAMP),
       CAST($ended_at::TIMESTAMPTZ AS TIMESTAMP), 'failed', $error, $pid, $host
WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = $run_id);

UPDATE run_stages
SET status = 'failed', ended_at = CAST($ended_at::TIMESTAMPTZ AS TIMESTAMP), error = COALESCE(error, $error)
WHERE run_id = $run_id AND status = 'running';
