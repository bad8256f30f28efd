CREATE TABLE ingested_files (
  batch_seq      BIGINT    NOT NULL,
  path           VARCHAR   NOT NULL,
  content_hash   VARCHAR   NOT NULL,          -- sha256 of the file bytes
  format         VARCHAR   NOT NULL,
  encoding       VARCHAR,
  bytes          BIGINT    NOT NULL,
  mapping        VARCHAR,
  read           BIGINT    NOT NULL,
  loaded         BIGINT    NOT NULL,
  updated        BIGINT    NOT NULL,
  unchanged      BIGINT    NOT NULL,
  quarantined    BIGINT    NOT NULL,
  started_at     TIMESTAMP NOT NULL,
  finished_at    TIMESTAMP NOT NULL
);
