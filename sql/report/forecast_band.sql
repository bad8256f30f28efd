-- The city-scope weekly forecast of one category from the latest forecast run on or just before the as-of.
WITH run AS (
  SELECT max(as_of) AS as_of FROM forecasts WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 8 DAY
)
SELECT strftime(f.week_start, '%Y-%m-%d') AS week, f.yhat, f.lo, f.hi
FROM forecasts f, run
WHERE f.as_of = run.as_of AND f.scope_level = 'city' AND f.category = $category
ORDER BY f.week_start;
