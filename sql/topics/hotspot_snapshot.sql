-- The hotspot snapshot the month's topics are judged against: the latest one on or before the as-of, if it is
-- recent (hotspots are recomputed nightly; an older snapshot no longer describes last month). A hotspot run that
-- found no hot cell stores no rows but is a snapshot all the same (of nothing hot): it counts, and is the latest
-- when it is newer than the last rows.
SELECT greatest(
  (SELECT max(as_of) FROM hotspots WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 35 DAY),
  (SELECT max(r.as_of) FROM run_stages s JOIN runs r USING (run_id)
    WHERE s.stage = 'hotspots' AND s.status = 'ok' AND r.as_of <= $as_of::DATE AND r.as_of > $as_of::DATE - INTERVAL 35 DAY)
)::VARCHAR AS as_of;
