-- The stage owns its rows for the as-of date: re-running replaces them.
DELETE FROM forecasts WHERE as_of = $as_of;
DELETE FROM forecast_models WHERE as_of = $as_of;
DELETE FROM forecast_months WHERE as_of = $as_of;
