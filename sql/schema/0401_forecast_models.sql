-- Per forecast series and as-of: the model chosen by rolling-origin backtest and what it was chosen on.
CREATE TABLE forecast_models (
  as_of             DATE      NOT NULL,
  category          VARCHAR   NOT NULL,
  level             TINYINT   NOT NULL,
  scope_level       VARCHAR   NOT NULL,
  scope_name        VARCHAR   NOT NULL,
  model             VARCHAR   NOT NULL,          -- glm | glm_level | snaive_growth | mean | zero
  history_weeks     INTEGER   NOT NULL,
  seasonal          BOOLEAN   NOT NULL,          -- annual wave strong enough for district forecasts
  seasonal_strength DOUBLE    NOT NULL,
  selection_mae     DOUBLE                       -- mean absolute error at the selection origins (NULL: none)
);
