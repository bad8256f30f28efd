-- Weekly forecasts (weeks start Monday) as of a date, with an 80% interval.
CREATE TABLE forecasts (
  as_of          DATE      NOT NULL,
  category       VARCHAR   NOT NULL,
  level          TINYINT   NOT NULL,          -- 1 | 2
  scope_level    VARCHAR   NOT NULL,          -- city | district
  scope_name     VARCHAR   NOT NULL,          -- city name or district
  week_start     DATE      NOT NULL,
  yhat           DOUBLE    NOT NULL,
  lo             DOUBLE    NOT NULL,
  hi             DOUBLE    NOT NULL,
  model          VARCHAR   NOT NULL
);
