-- A run ends (ok, failed or interrupted) with every stage's counts and the error, if any.
UPDATE runs
SET ended_at = current_localtimestamp(), status = $status, counts = $counts::JSON, error = $error
WHERE run_id = $run_id;
