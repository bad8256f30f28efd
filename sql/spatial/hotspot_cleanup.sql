-- The hotspot stage's temp tables still held once the rows are written (or the run found nothing).
DROP TABLE IF EXISTS hs_rows;
DROP TABLE IF EXISTS hs_windows;
DROP TABLE IF EXISTS hs_area;
DROP TABLE IF EXISTS hs_placed;
