-- One row per forecast series: which model won the rolling-origin selection, and on how much history.
INSERT INTO forecast_models (as_of, category, level, scope_level, scope_name, model, history_weeks, seasonal, seasonal_strength,
                             selection_mae, level_shift_since, level_shift_factor, tracking)
SELECT $as_of::DATE, m.category, m.level, m.scope_level, m.scope_name, m.model, m.history_weeks, m.seasonal, m.seasonal_strength, m.selection_mae,
       m.level_shift_since::DATE, m.level_shift_factor, m.tracking
FROM (
  SELECT unnest(from_json($rows::JSON, '[{"category":"VARCHAR","level":"TINYINT","scope_level":"VARCHAR","scope_name":"VARCHAR","model":"VARCHAR","history_weeks":"INTEGER","seasonal":"BOOLEAN","seasonal_strength":"DOUBLE","selection_mae":"DOUBLE","level_shift_since":"VARCHAR","level_shift_factor":"DOUBLE","tracking":"DOUBLE"}]')) AS m
);
