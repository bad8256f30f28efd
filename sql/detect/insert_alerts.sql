-- A batch of alerts arrives as one JSON array (one bound parameter, however many rows).
INSERT INTO alerts (
  as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed, expected, score,
  p_value, q_value, reason, details
)
SELECT
  a.as_of::DATE, a.category, a.level::TINYINT, a.scope_level, a.scope_name, a.kind,
  a.window_start::DATE, a.window_end::DATE, a.observed::DOUBLE, a.expected::DOUBLE, a.score::DOUBLE,
  a.p_value::DOUBLE, a.q_value::DOUBLE, a.reason, a.details::JSON
FROM (
  SELECT unnest(from_json($rows::JSON, '[{"as_of":"VARCHAR","category":"VARCHAR","level":"INTEGER","scope_level":"VARCHAR","scope_name":"VARCHAR","kind":"VARCHAR","window_start":"VARCHAR","window_end":"VARCHAR","observed":"DOUBLE","expected":"DOUBLE","score":"DOUBLE","p_value":"DOUBLE","q_value":"DOUBLE","reason":"VARCHAR","details":"JSON"}]'), recursive := true) 
) AS a;
