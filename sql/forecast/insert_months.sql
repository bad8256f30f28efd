-- Monthly forecast rows handed over as one JSON document (one row per series and month touched).
INSERT INTO forecast_months (as_of, category, level, scope_level, scope_name, month, covered_days, yhat, lo, hi, model)
SELECT $as_of::DATE, m.category, m.level, m.scope_level, m.scope_name, m.month::DATE, m.covered_days, m.yhat, m.lo, m.hi, m.model
FROM (
  SELECT unnest(from_json($rows::JSON, '[{"category":"VARCHAR","level":"TINYINT","scope_level":"VARCHAR","scope_name":"VARCHAR","month":"VARCHAR","covered_days":"INTEGER","yhat":"DOUBLE","lo":"DOUBLE","hi":"DOUBLE","model":"VARCHAR"}]')) AS m
);
