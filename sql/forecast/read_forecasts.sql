-- What `weisu forecast` prints: the stored forecast for the as-of date, first $horizon weeks.
WITH ranked AS (
  SELECT f.*, dense_rank() OVER (PARTITION BY f.as_of ORDER BY f.week_start) AS k
  FROM forecasts f
  WHERE f.as_of = $as_of
)
SELECT r.category, r.level, r.scope_level, r.scope_name, r.week_start::VARCHAR AS week_start, r.yhat, r.lo, r.hi, r.model,
       m.history_weeks, m.seasonal, m.level_shift_since::VARCHAR AS level_shift_since, m.level_shift_factor
FROM ranked r
LEFT JOIN forecast_models m USING (as_of, category, level, scope_level, scope_name)
WHERE r.k <= $horizon
ORDER BY r.scope_level, r.scope_name, r.level, r.category, r.week_start;
