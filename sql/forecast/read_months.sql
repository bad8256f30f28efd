-- The stored monthly forecasts of an as-of date (forecast_months), city and district series.
SELECT category, level, scope_level, scope_name, strftime(month, '%Y-%m') AS month, covered_days, yhat, lo, hi, model
FROM forecast_months
WHERE as_of = $as_of
ORDER BY scope_level, scope_name, level, category, month;
