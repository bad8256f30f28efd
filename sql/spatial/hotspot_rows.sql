-- The hotspot rows of one run, appended from JS (hotspot-stage.ts writeHotspots, columns in this order) and written
-- to hotspots by hotspot_insert.sql.
CREATE OR REPLACE TEMP TABLE hs_rows (
  cell        VARCHAR,
  lon         DOUBLE,
  lat         DOUBLE,
  category    VARCHAR,
  count       INTEGER,
  z           DOUBLE,
  p           DOUBLE,
  q           DOUBLE,
  kind        VARCHAR,
  windows_hot INTEGER,
  categories  VARCHAR,
  strength    DOUBLE,
  scan_p      DOUBLE,
  scan_weeks  INTEGER,
  expected    DOUBLE,
  above_usual BOOLEAN
);
