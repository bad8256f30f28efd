-- The month's 调度 topic candidates (CONTRACT §4 topics) and leadership's choice.
CREATE TABLE topic_candidates (
  month          VARCHAR   NOT NULL,          -- YYYY-MM: the month the topic is for (computed as of its first day)
  rank           INTEGER   NOT NULL,
  category       VARCHAR   NOT NULL,
  level          TINYINT   NOT NULL,
  score          DOUBLE    NOT NULL,
  reasons        JSON      NOT NULL,          -- readable Chinese sentences
  evidence       JSON      NOT NULL,          -- CONTRACT §4 evidence plus extra fields
  lead_unit      VARCHAR,
  co_units       JSON,
  components     JSON,                        -- each weighted score component, so the ranking can be audited
  computed_at    TIMESTAMP NOT NULL
);

-- Every scored category of the month, chosen or not: the audit trail behind the ranking ("why not X?").
CREATE TABLE topic_scores (
  month          VARCHAR   NOT NULL,
  category       VARCHAR   NOT NULL,
  level          TINYINT   NOT NULL,
  score          DOUBLE    NOT NULL,
  eligible       BOOLEAN   NOT NULL,
  excluded_why   VARCHAR,                     -- routine | out_of_scope | too_small | excluded_by_config | covered
  metrics        JSON      NOT NULL,
  components     JSON      NOT NULL
);

CREATE TABLE topic_selections (
  month          VARCHAR   NOT NULL,
  category       VARCHAR   NOT NULL,
  selected_at    TIMESTAMP NOT NULL,
  selected_by    VARCHAR,
  note           VARCHAR
);

-- One row per computed month: what the ranking could and could not draw on (missing forecasts, hotspots, tags).
CREATE TABLE topic_runs (
  month          VARCHAR   NOT NULL,
  as_of          DATE      NOT NULL,
  scored         INTEGER   NOT NULL,
  eligible       INTEGER   NOT NULL,
  notes          JSON      NOT NULL,          -- readable Chinese sentences on missing evidence
  computed_at    TIMESTAMP NOT NULL
);
