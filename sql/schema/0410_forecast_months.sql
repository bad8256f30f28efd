-- Monthly forecast per series and as-of: the weekly forecasts pro-rated to the calendar month by the days each week
-- shares with it, with an 80% interval from the model's own error on 4-week sums (not a sum of weekly bounds).
CREATE TABLE forecast_months (
  as_of         DATE      NOT NULL,
  category      VARCHAR   NOT NULL,
  level         TINYINT   NOT NULL,
  scope_level   VARCHAR   NOT NULL,
  scope_name    VARCHAR   NOT NULL,
  month         DATE      NOT NULL,          -- first day of the month
  covered_days  INTEGER   NOT NULL,          -- days of the month inside the forecast weeks
  yhat          DOUBLE    NOT NULL,
  lo            DOUBLE    NOT NULL,
  hi            DOUBLE    NOT NULL,
  model         VARCHAR   NOT NULL
);
