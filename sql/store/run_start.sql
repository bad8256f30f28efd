-- A run begins: recorded as 'running' before any stage, so a run that dies midway is still seen in `weisu runs`.
INSERT INTO runs (run_id, pipeline, as_of, started_at, status, pid, host)
VALUES ($run_id, $pipeline, $as_of::DATE, current_localtimestamp(), 'running', $pid, $host);
