-- The forecasts of the latest as-of on or before $before.
SELECT * FROM forecasts WHERE as_of = (SELECT max(as_of) FROM forecasts WHERE as_of <= $before::DATE);
