-- The stage's open attempt ends; attempts already ended keep their own outcome.
UPDATE run_stages
SET ended_at = current_localtimestamp(), status = $status, counts = $counts::JSON, error = $error
WHERE run_id = $run_id AND stage = $stage AND ended_at IS NULL;
