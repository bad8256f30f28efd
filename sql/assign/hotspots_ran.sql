-- How many runs for as-of $as_of ran the hotspots stage to the end: with no hotspot stored, one such run means a quiet
-- night, none means the stage has not run.
SELECT count(*) AS runs
FROM run_stages s
JOIN runs r USING (run_id)
WHERE s.stage = 'hotspots' AND s.status = 'ok' AND r.as_of = $as_of::DATE;
