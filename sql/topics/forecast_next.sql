-- The forecast of the coming month per category (city scope), from the latest forecast run on or just before the
-- as-of: weekly yhat/lo/hi pro-rated by the days each week shares with the month, then scaled up to the whole
-- month when the horizon covers only part of it. lo/hi summed over weeks are a wide (conservative) range.
WITH run AS (
  SELECT max(as_of) AS as_of FROM forecasts WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 8 DAY
),
weeks AS (
  SELECT
    f.category, f.level, f.yhat, f.lo, f.hi,
    greatest(0, date_diff('day', greatest(f.week_start, $as_of::DATE), least(f.week_start + 7, $next_start::DATE))) AS overlap
  FROM forecasts f, run
  WHERE f.as_of = run.as_of AND f.scope_level = 'city'
)
SELECT
  category,
  sum(yhat * overlap / 7.0) AS yhat,
  sum(lo * overlap / 7.0)   AS lo,
  sum(hi * overlap / 7.0)   AS hi,
  sum(overlap)              AS covered_days
FROM weeks
WHERE overlap > 0
GROUP BY category;
