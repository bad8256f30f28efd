-- One attempt of a stage begins; a retried stage starts again with the next attempt number.
INSERT INTO run_stages (run_id, stage, started_at, status, attempts)
VALUES ($run_id, $stage, current_localtimestamp(), 'running', $attempt);
