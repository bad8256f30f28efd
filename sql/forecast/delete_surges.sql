-- The forecast stage owns only the surge_forecast alerts of the as-of date.
DELETE FROM alerts WHERE as_of = $as_of::DATE AND kind = 'surge_forecast';
