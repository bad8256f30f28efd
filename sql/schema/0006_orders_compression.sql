-- orders again, with each text column's compression chosen once here instead of by DuckDB's trial of every method
-- on every segment it writes. That trial (dictionary and FSST each tried on near-unique text) was a fifth of the CPU
-- an ingest spent; the choices below are the ones the trial itself made on exports (bench/ingest.ts and the demo
-- city): FSST for the near-unique texts (ids, content, addresses, caller hashes), a dictionary for the columns
-- holding a few thousand names at most. Numbers and timestamps keep the automatic choice, which is cheap for them.
-- DuckDB cannot change a column's compression in place, so the table is rebuilt (instant on a new store).
CREATE TABLE orders_rebuilt (
  order_id       VARCHAR   NOT NULL USING COMPRESSION fsst,
  created_at     TIMESTAMP NOT NULL,
  category       VARCHAR   NOT NULL USING COMPRESSION dictionary,
  cat1           VARCHAR   NOT NULL USING COMPRESSION dictionary,
  cat2           VARCHAR   NOT NULL USING COMPRESSION dictionary,
  content        VARCHAR   NOT NULL USING COMPRESSION fsst,
  district       VARCHAR            USING COMPRESSION dictionary,
  street         VARCHAR            USING COMPRESSION dictionary,
  community      VARCHAR            USING COMPRESSION dictionary,
  address        VARCHAR            USING COMPRESSION fsst,
  lon            DOUBLE,
  lat            DOUBLE,
  caller_hash    VARCHAR            USING COMPRESSION fsst,
  channel        VARCHAR            USING COMPRESSION dictionary,
  order_type     VARCHAR            USING COMPRESSION dictionary,
  dept           VARCHAR            USING COMPRESSION dictionary,
  closed_at      TIMESTAMP,
  satisfaction   VARCHAR,
  resolved       BOOLEAN,
  dispatch_count INTEGER,
  reopened       BOOLEAN,
  row_hash       UBIGINT   NOT NULL,
  first_seq      BIGINT    NOT NULL,
  seq            BIGINT    NOT NULL,
  source_file    VARCHAR            USING COMPRESSION dictionary,
  source_line    BIGINT,
  loaded_at      TIMESTAMP NOT NULL
);
INSERT INTO orders_rebuilt SELECT * FROM orders;
DROP TABLE orders;
ALTER TABLE orders_rebuilt RENAME TO orders;
