-- Every input row that could not be read or failed validation. Nothing is dropped silently.
CREATE TABLE quarantine (
  batch_seq      BIGINT    NOT NULL,
  file           VARCHAR   NOT NULL,
  line           BIGINT,                      -- 1-based line in the file (header is line 1 for CSV)
  field          VARCHAR,                     -- canonical field at fault, if one
  reason         VARCHAR   NOT NULL,
  raw            VARCHAR,                     -- the raw row as JSON, with phone and ID numbers masked
  quarantined_at TIMESTAMP NOT NULL
);
