-- Where the scorer (JS, over column batches) writes its results before they replace the stored rows.
CREATE OR REPLACE TEMP TABLE tag_scored (
  order_id   VARCHAR NOT NULL,
  tag        VARCHAR NOT NULL,
  confidence DOUBLE  NOT NULL,
  sources    VARCHAR NOT NULL,
  seq        BIGINT  NOT NULL
);
CREATE OR REPLACE TEMP TABLE tag_scope (
  order_id   VARCHAR NOT NULL,
  scope_rule VARCHAR
);
