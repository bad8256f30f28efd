-- Repeat complaints per month × category × street (as given in the order), for the topics stage: a category
-- whose orders keep coming back from the same callers or places is one the system is failing on.
CREATE TABLE repeat_rates (
  month          DATE      NOT NULL,          -- first day of the month of created_at
  cat1           VARCHAR   NOT NULL,
  cat2           VARCHAR   NOT NULL,
  district       VARCHAR,
  street         VARCHAR,
  n              INTEGER   NOT NULL,          -- orders
  n_repeat       INTEGER   NOT NULL,          -- of which repeats (caller or place)
  n_caller       INTEGER   NOT NULL,          -- of which repeats by the same caller
  n_out_of_scope INTEGER   NOT NULL,
  rate           DOUBLE    NOT NULL           -- n_repeat / n
);

-- The trained root-cause model, keyed by a fingerprint of the lexicon, labelled sample, scope rules and
-- settings it was built from: training costs seconds, scoring must not pay that on every run. When the
-- fingerprint changes (a city edits its lexicon), every order is tagged again.
CREATE TABLE tag_models (
  fingerprint    VARCHAR   PRIMARY KEY,
  created_at     TIMESTAMP NOT NULL,
  model          VARCHAR   NOT NULL           -- JSON: vocabulary, IDF, weights, calibration
);

-- Which model tagged the store (one row).
CREATE TABLE tag_state (
  key            VARCHAR   PRIMARY KEY,
  value          VARCHAR   NOT NULL
);
