-- The effects measured as of $as_of, for `weisu effect`: topics before hotspots, then by subject and measure.
SELECT * EXCLUDE (as_of, details)
FROM effects
WHERE as_of = $as_of::DATE
ORDER BY subject_kind DESC, subject_id, measure;
