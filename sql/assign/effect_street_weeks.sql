-- Weekly counts of a category per street around an action, in three phases: 'pre', the weeks before pre_end (week -1
-- is the last full week before it); 'trigger', the weeks from pre_end to action_start (week -1 the last before
-- action_start), when the rise that caused the item was seen; 'post', the weeks from action_end on. Days between
-- action_start and action_end (the action itself) are left out.
WITH days AS (
  SELECT COALESCE(district, '') || '/' || COALESCE(street, '') AS unit, day, sum(n) AS n, sum(n_repeat) AS n_repeat
  FROM daily_counts
  WHERE (cat2 = $category OR cat1 = $category)
    AND street IS NOT NULL
    AND ((day >= $pre_start::DATE AND day < $action_start::DATE) OR (day >= $action_end::DATE AND day < $post_end::DATE))
  GROUP BY ALL
)
SELECT unit,
       CASE WHEN day < $pre_end::DATE THEN 'pre' WHEN day < $action_start::DATE THEN 'trigger' ELSE 'post' END AS phase,
       CASE WHEN day < $pre_end::DATE THEN -1 - (datediff('day', day, $pre_end::DATE) - 1) // 7
            WHEN day < $action_start::DATE THEN -1 - (datediff('day', day, $action_start::DATE) - 1) // 7
            ELSE datediff('day', $action_end::DATE, day) // 7 END AS week,
       sum(n)::INTEGER AS n,
       sum(n_repeat)::INTEGER AS n_repeat
FROM days
GROUP BY ALL
ORDER BY unit, week
