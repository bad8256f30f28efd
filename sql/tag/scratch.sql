-- Where the scorer (JS, over column batches) writes its results before they replace the stored rows: row
-- numbers of tag_input and codes named by tag_labels, so no string crosses from JS to DuckDB per order.
CREATE OR REPLACE TEMP TABLE tag_scored (
  rn         INTEGER  NOT NULL,
  tag        UTINYINT NOT NULL,   -- tag_labels kind 'tag'
  confidence DOUBLE   NOT NULL,
  sources    UTINYINT NOT NULL    -- tag_labels kind 'sources'
);
-- Out-of-scope orders only.
CREATE OR REPLACE TEMP TABLE tag_scope (
  rn         INTEGER  NOT NULL,
  rule       INTEGER  NOT NULL    -- tag_labels kind 'scope'
);
CREATE OR REPLACE TEMP TABLE tag_labels (
  kind       VARCHAR  NOT NULL,
  code       INTEGER  NOT NULL,
  label      VARCHAR  NOT NULL
);
-- Departments that name several (the order was bounced between them).
CREATE OR REPLACE TEMP TABLE tag_bounced (
  dept       VARCHAR  NOT NULL
);
