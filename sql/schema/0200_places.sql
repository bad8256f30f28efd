-- Where each order happened, resolved from coordinates (point in polygon) or, failing that, from names.
CREATE TABLE order_places (
  order_id       VARCHAR   NOT NULL,
  cell           VARCHAR,                     -- H3 cell at the configured resolution (default 8); NULL without usable coordinates
  grid_id        VARCHAR,                     -- 网格
  district       VARCHAR,
  street         VARCHAR,
  community      VARCHAR,
  match          VARCHAR   NOT NULL,          -- point | name | none: how the district/street/community/grid were found
  coord_status   VARCHAR   NOT NULL,          -- inside | outside (kept, inside no polygon) | unchecked (no boundaries) | missing | invalid
  seq            BIGINT    NOT NULL
);

-- Hotspot cells as of a date (CONTRACT §4 hotspots), one row per (as_of, cell, category, kind).
CREATE TABLE hotspots (
  as_of          DATE      NOT NULL,
  cell           VARCHAR   NOT NULL,
  lon            DOUBLE    NOT NULL,
  lat            DOUBLE    NOT NULL,
  category       VARCHAR,                     -- NULL = all categories together
  count          INTEGER   NOT NULL,          -- orders in the cell in the window
  z              DOUBLE    NOT NULL,          -- Getis-Ord Gi* z-score
  p              DOUBLE,                      -- one-sided p-value of z
  q              DOUBLE,                      -- Benjamini–Hochberg adjusted p across every test of the run
  kind           VARCHAR   NOT NULL,          -- hot | emerging | persistent | multi_category
  windows_hot    INTEGER,                     -- of the last persistentWindows windows, how many were hot
  categories     JSON,                        -- multi_category: the level-2 categories hot in the cell
  grid_id        VARCHAR,
  district       VARCHAR,
  street         VARCHAR,
  window_start   DATE,
  window_end     DATE                         -- exclusive (= as_of)
);
