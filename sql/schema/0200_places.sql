-- Where each order happened, resolved from coordinates (point in polygon) or, failing that, from names.
CREATE TABLE order_places (
  order_id       VARCHAR   NOT NULL,
  cell           VARCHAR,                     -- H3 cell at the configured resolution (default 8)
  grid_id        VARCHAR,                     -- 网格
  district       VARCHAR,
  street         VARCHAR,
  community      VARCHAR,
  match          VARCHAR   NOT NULL,          -- point | name | none
  seq            BIGINT    NOT NULL
);

-- Hotspot cells as of a date (CONTRACT §4 hotspots), one row per (as_of, cell, category, kind).
CREATE TABLE hotspots (
  as_of          DATE      NOT NULL,
  cell           VARCHAR   NOT NULL,
  lon            DOUBLE    NOT NULL,
  lat            DOUBLE    NOT NULL,
  category       VARCHAR,                     -- NULL = all categories together
  count          INTEGER   NOT NULL,
  z              DOUBLE    NOT NULL,
  p              DOUBLE,
  q              DOUBLE,
  kind           VARCHAR   NOT NULL,          -- hot | emerging | persistent | multi_category
  grid_id        VARCHAR,
  district       VARCHAR,
  street         VARCHAR
);
