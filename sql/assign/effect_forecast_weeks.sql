-- City-wide weekly counts of a category against the forecast made before the action: for each Monday week fully
-- inside the post period, the latest forecast issued on or before action_end.
WITH issued AS (
  SELECT max(as_of) AS as_of FROM forecasts
  WHERE category = $category AND scope_level = 'city' AND as_of <= $action_end::DATE
),
predicted AS (
  SELECT f.week_start, f.yhat, f.lo, f.hi
  FROM forecasts f, issued
  WHERE f.as_of = issued.as_of AND f.category = $category AND f.scope_level = 'city'
    AND f.week_start >= $action_end::DATE AND f.week_start + 7 <= $post_end::DATE
),
observed AS (
  SELECT date_trunc('week', day)::DATE AS week_start, sum(n) AS n
  FROM daily_counts
  WHERE (cat2 = $category OR cat1 = $category) AND day >= $action_end::DATE AND day < $post_end::DATE
  GROUP BY ALL
)
SELECT CAST(p.week_start AS VARCHAR) AS week_start, p.yhat, p.lo, p.hi, COALESCE(o.n, 0)::DOUBLE AS n,
       (SELECT CAST(as_of AS VARCHAR) FROM issued) AS issued
FROM predicted p LEFT JOIN observed o USING (week_start)
ORDER BY p.week_start
