-- The month's 调度 topic candidates (CONTRACT §4 topics) and leadership's choice.
CREATE TABLE topic_candidates (
  month          VARCHAR   NOT NULL,          -- YYYY-MM
  rank           INTEGER   NOT NULL,
  category       VARCHAR   NOT NULL,
  level          TINYINT   NOT NULL,
  score          DOUBLE    NOT NULL,
  reasons        JSON      NOT NULL,
  evidence       JSON      NOT NULL,
  lead_unit      VARCHAR,
  co_units       JSON,
  computed_at    TIMESTAMP NOT NULL
);

CREATE TABLE topic_selections (
  month          VARCHAR   NOT NULL,
  category       VARCHAR   NOT NULL,
  selected_at    TIMESTAMP NOT NULL,
  selected_by    VARCHAR,
  note           VARCHAR
);
