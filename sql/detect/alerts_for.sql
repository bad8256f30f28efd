-- Every alert stored for one as-of (this stage's kinds and the forecast stage's surge_forecast), best first.
SELECT
  category,
  level,
  scope_level,
  scope_name,
  kind,
  window_start::VARCHAR AS window_start,
  window_end::VARCHAR   AS window_end,
  observed,
  expected,
  score,
  p_value,
  q_value,
  reason,
  details::VARCHAR      AS details
FROM alerts
WHERE as_of = $as_of::DATE
ORDER BY score DESC, category, scope_level, scope_name, kind;
