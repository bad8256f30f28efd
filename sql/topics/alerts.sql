-- Alerts raised for the as-of (or the latest nightly run just before it), as supporting evidence.
WITH run AS (
  SELECT max(as_of) AS as_of FROM alerts WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 8 DAY
)
SELECT a.category, a.level, a.scope_level, a.scope_name, a.kind, a.observed, a.expected, a.score, a.reason
FROM alerts a, run
WHERE a.as_of = run.as_of
ORDER BY a.score DESC;
