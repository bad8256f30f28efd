-- Whether the report's 回传 (and so its scorecard and the 办结 dates behind the effects) came from the demo's
-- simulation (weisu feedback simulate, source 'simulated') rather than from real units.
SELECT
  count(*) FILTER (WHERE source = 'simulated')::INTEGER AS simulated,
  count(*)::INTEGER                                     AS total
FROM feedback
WHERE happened_at < $as_of::TIMESTAMP;
