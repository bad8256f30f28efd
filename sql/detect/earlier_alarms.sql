-- The count alerts of the last run whose current week was the week before this one (an as-of in [$from, $to]):
-- one row per category × place, with the week its rise was first reported (details.since; that run's week when absent).
WITH previous_run AS (
  SELECT max(as_of) AS as_of
  FROM alerts
  WHERE as_of BETWEEN $from::DATE AND $to::DATE
    AND kind IN ('yoy', 'mom', 'trend', 'spike')
)
SELECT
  a.category,
  a.scope_level,
  a.scope_name,
  a.details ->> 'district'                     AS district,
  min(coalesce(a.details ->> 'since', $prev_week)) AS since
FROM alerts a
JOIN previous_run p ON a.as_of = p.as_of
WHERE a.kind IN ('yoy', 'mom', 'trend', 'spike')
GROUP BY a.category, a.scope_level, a.scope_name, a.details ->> 'district';
