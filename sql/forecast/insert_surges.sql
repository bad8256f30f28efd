INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed, expected, score, p_value, q_value, reason, details)
SELECT $as_of::DATE, a.category, a.level, a.scope_level, a.scope_name, 'surge_forecast', a.window_start::DATE, a.window_end::DATE,
       a.observed, a.expected, a.score, NULL, NULL, a.reason, a.details::JSON
FROM (
  SELECT unnest(from_json($rows::JSON, '[{"category":"VARCHAR","level":"TINYINT","scope_level":"VARCHAR","scope_name":"VARCHAR","window_start":"VARCHAR","window_end":"VARCHAR","observed":"DOUBLE","expected":"DOUBLE","score":"DOUBLE","reason":"VARCHAR","details":"VARCHAR"}]')) AS a
);
