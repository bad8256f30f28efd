-- One row per distinct order_id (enforced by the ingest merge, not by an index: a 10M-key ART index would cost
-- more memory than the nightly budget allows). Canonical columns are CONTRACT §1; the rest is bookkeeping.
CREATE SEQUENCE IF NOT EXISTS ingest_seq START 1;

CREATE TABLE orders (
  order_id       VARCHAR   NOT NULL,
  created_at     TIMESTAMP NOT NULL,          -- local time, Asia/Shanghai
  category       VARCHAR   NOT NULL,          -- full path, levels joined by '/'
  cat1           VARCHAR   NOT NULL,          -- level 1 (大类)
  cat2           VARCHAR   NOT NULL,          -- level 1/level 2 path (equals cat1 when the path has one level)
  content        VARCHAR   NOT NULL,          -- phone and ID numbers already masked
  district       VARCHAR,
  street         VARCHAR,
  community      VARCHAR,
  address        VARCHAR,
  lon            DOUBLE,                      -- WGS-84
  lat            DOUBLE,
  caller_hash    VARCHAR,
  channel        VARCHAR,
  order_type     VARCHAR,
  dept           VARCHAR,
  closed_at      TIMESTAMP,
  satisfaction   VARCHAR,
  resolved       BOOLEAN,
  -- extensions (optional input columns): how often the order was re-dispatched between departments
  -- (转派次数) and whether it was reopened after closure (重办). Both are evidence for root causes.
  dispatch_count INTEGER,
  reopened       BOOLEAN,
  -- bookkeeping
  row_hash       UBIGINT   NOT NULL,          -- hash of the canonical fields, to tell updated from unchanged
  first_seq      BIGINT    NOT NULL,          -- ingest batch that first loaded the order
  seq            BIGINT    NOT NULL,          -- ingest batch that last changed it
  source_file    VARCHAR,
  source_line    BIGINT,
  loaded_at      TIMESTAMP NOT NULL
);
