-- Alerts raised for the as-of (or the latest nightly run just before it), as supporting evidence: the ones to act on
-- first (details.primary: not a rise seen better at another scope), then the widest scope, then the score — a
-- city-wide topic is evidenced by its city alert, not by a district that rose with it.
WITH run AS (
  SELECT max(as_of) AS as_of FROM alerts WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 8 DAY
)
SELECT a.category, a.level, a.scope_level, a.scope_name, a.kind, a.observed, a.expected, a.score, a.reason
FROM alerts a, run
WHERE a.as_of = run.as_of
ORDER BY coalesce((a.details->>'primary')::BOOLEAN, true) DESC,
         CASE a.scope_level WHEN 'city' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,
         a.score DESC;
