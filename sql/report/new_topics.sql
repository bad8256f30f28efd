-- New phrases in what callers say (new_topic alerts) raised from last month's first day up to the report's as-of:
-- the latest alert per phrase, strongest first. A new problem seldom has a category of its own yet, so it would
-- never be a topic candidate; the leader should still hear of it. An alert whose window ended before last month
-- began (raised on its 1st about the month before) is old news and not this report's headline.
SELECT
  details->>'term'                        AS term,
  category,
  scope_name,
  reason,
  strftime(as_of, '%Y-%m-%d')             AS as_of
FROM alerts
WHERE kind = 'new_topic' AND as_of >= $last_start::DATE AND as_of <= $as_of::DATE
  AND window_end >= $last_start::DATE
QUALIFY row_number() OVER (PARTITION BY details->>'term' ORDER BY as_of DESC, score DESC) = 1
ORDER BY score DESC, term
LIMIT 5;
