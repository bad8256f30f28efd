-- A run whose process ended without recording its end: the run and its running stages are marked interrupted
-- (an error or end time already recorded is kept).
UPDATE runs
SET status = 'interrupted',
    ended_at = COALESCE(ended_at, current_localtimestamp()),
    error = COALESCE(error, 'process ended during the run')
WHERE run_id = $id;

UPDATE run_stages
SET status = 'interrupted', ended_at = current_localtimestamp()
WHERE run_id = $id AND status = 'running';
