-- Rising / emerging categories as of a date (CONTRACT §4 alerts).
CREATE TABLE alerts (
  as_of          DATE      NOT NULL,
  category       VARCHAR   NOT NULL,
  level          TINYINT   NOT NULL,
  scope_level    VARCHAR   NOT NULL,          -- city | district | street
  scope_name     VARCHAR   NOT NULL,
  kind           VARCHAR   NOT NULL,          -- yoy | mom | trend | spike | surge_forecast | new_topic
  window_start   DATE      NOT NULL,
  window_end     DATE      NOT NULL,
  observed       DOUBLE    NOT NULL,
  expected       DOUBLE    NOT NULL,
  score          DOUBLE    NOT NULL,
  p_value        DOUBLE,
  q_value        DOUBLE,
  reason         VARCHAR,                     -- one line in Chinese a leader can read
  details        JSON
);
