-- Weekly counts of a category per street around an action: weeks before action_start (week -1 is the last full
-- week before it) and weeks from action_end on. Days between the two (the action itself) are left out.
WITH days AS (
  SELECT COALESCE(district, '') || '/' || COALESCE(street, '') AS unit, day, sum(n) AS n, sum(n_repeat) AS n_repeat
  FROM daily_counts
  WHERE (cat2 = $category OR cat1 = $category)
    AND street IS NOT NULL
    AND ((day >= $pre_start::DATE AND day < $action_start::DATE) OR (day >= $action_end::DATE AND day < $post_end::DATE))
  GROUP BY ALL
)
SELECT unit,
       CASE WHEN day < $action_start::DATE THEN -1 - (datediff('day', day, $action_start::DATE) - 1) // 7
            ELSE datediff('day', $action_end::DATE, day) // 7 END AS week,
       sum(n)::INTEGER AS n,
       sum(n_repeat)::INTEGER AS n_repeat
FROM days
GROUP BY ALL
ORDER BY unit, week
