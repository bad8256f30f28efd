-- Orders per day × level-2 category × district × street: what detection and forecasting read.
CREATE TABLE daily_counts (
  day            DATE      NOT NULL,
  cat1           VARCHAR   NOT NULL,
  cat2           VARCHAR   NOT NULL,
  district       VARCHAR,                     -- resolved (order_places) or as given
  street         VARCHAR,
  n              INTEGER   NOT NULL,
  n_repeat       INTEGER   NOT NULL,
  n_out_of_scope INTEGER   NOT NULL,
  n_unsatisfied  INTEGER   NOT NULL,
  n_closed       INTEGER   NOT NULL
);

-- How far each incremental stage has got: the highest orders.seq it has processed.
CREATE TABLE stage_marks (
  stage          VARCHAR PRIMARY KEY,
  seq            BIGINT    NOT NULL,
  updated_at     TIMESTAMP NOT NULL
);
