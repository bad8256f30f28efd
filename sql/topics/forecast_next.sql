-- The forecast of the coming month per category (city scope), from the latest forecast run on or just before the
-- as-of: weekly yhat/lo/hi pro-rated by the days each week shares with the month, then scaled up to the whole
-- month when the horizon covers only part of it. lo/hi summed over weeks are a wide (conservative) range. `seasonal`
-- is the model's own flag (NULL when no model row was stored): only a seasonal model can tell of a coming wave.
WITH run AS (
  SELECT max(as_of) AS as_of FROM forecasts WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 8 DAY
),
weeks AS (
  SELECT
    f.category, f.level, f.yhat, f.lo, f.hi, f.model, m.seasonal, m.level_shift_factor,
    greatest(0, date_diff('day', greatest(f.week_start, $as_of::DATE), least(f.week_start + 7, $next_start::DATE))) AS overlap
  FROM forecasts f
  JOIN run ON f.as_of = run.as_of
  LEFT JOIN forecast_models m
    ON m.as_of = f.as_of AND m.category = f.category AND m.level = f.level
   AND m.scope_level = f.scope_level AND m.scope_name = f.scope_name
  WHERE f.scope_level = 'city'
)
SELECT
  category,
  sum(yhat * overlap / 7.0) AS yhat,
  sum(lo * overlap / 7.0)   AS lo,
  sum(hi * overlap / 7.0)   AS hi,
  sum(overlap)              AS covered_days,
  max(level_shift_factor)   AS level_shift_factor,  -- set when the series left its model's level (forecast follows it)
  any_value(model)          AS model,               -- one model per series and run
  bool_or(seasonal)         AS seasonal
FROM weeks
WHERE overlap > 0
GROUP BY category;
