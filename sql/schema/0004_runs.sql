-- One row per pipeline run (nightly / weekly / monthly / ad hoc), and one per stage inside it.
CREATE TABLE runs (
  run_id         VARCHAR   NOT NULL,
  pipeline       VARCHAR   NOT NULL,
  as_of          DATE      NOT NULL,
  started_at     TIMESTAMP NOT NULL,
  ended_at       TIMESTAMP,
  status         VARCHAR   NOT NULL,          -- running | ok | failed | interrupted
  counts         JSON,
  error          VARCHAR,
  pid            INTEGER,
  host           VARCHAR
);

CREATE TABLE run_stages (
  run_id         VARCHAR   NOT NULL,
  stage          VARCHAR   NOT NULL,
  started_at     TIMESTAMP NOT NULL,
  ended_at       TIMESTAMP,
  status         VARCHAR   NOT NULL,
  attempts       INTEGER   NOT NULL DEFAULT 1,
  counts         JSON,
  error          VARCHAR
);
