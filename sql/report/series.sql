-- Weekly in-scope orders of one category (level 1 or 2), complete weeks only (weeks start Monday), with the same
-- week a year earlier for the seasonal comparison.
WITH weekly AS (
  SELECT date_trunc('week', day)::DATE AS week, sum(n - n_out_of_scope) AS n
  FROM daily_counts
  WHERE (cat2 = $category OR cat1 = $category) AND day >= $from::DATE - INTERVAL 371 DAY AND day < $as_of::DATE
  GROUP BY 1
),
span AS (
  SELECT range::DATE AS week
  FROM range(date_trunc('week', $from::DATE)::DATE, $as_of::DATE, INTERVAL 7 DAY)
  WHERE range::DATE + 7 <= $as_of::DATE AND range::DATE >= $from::DATE
)
SELECT
  strftime(s.week, '%Y-%m-%d') AS week,
  coalesce(w.n, 0)             AS n,
  ly.n                         AS n_last_year
FROM span s
LEFT JOIN weekly w USING (week)
LEFT JOIN weekly ly ON ly.week = s.week - INTERVAL 364 DAY
ORDER BY s.week;
