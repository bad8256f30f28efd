-- Forecast points handed over as one JSON document (a few thousand rows per run).
INSERT INTO forecasts (as_of, category, level, scope_level, scope_name, week_start, yhat, lo, hi, model)
SELECT $as_of::DATE, p.category, p.level, p.scope_level, p.scope_name, p.week_start::DATE, p.yhat, p.lo, p.hi, p.model
FROM (
  SELECT unnest(from_json($rows::JSON, '[{"category":"VARCHAR","level":"TINYINT","scope_level":"VARCHAR","scope_name":"VARCHAR","week_start":"VARCHAR","yhat":"DOUBLE","lo":"DOUBLE","hi":"DOUBLE","model":"VARCHAR"}]')) AS p
);
