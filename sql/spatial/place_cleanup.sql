-- The place stage's temp tables, dropped at the end of a run.
DROP TABLE IF EXISTS place_points;
DROP TABLE IF EXISTS place_redo;
DROP TABLE IF EXISTS place_cells;
DROP TABLE IF EXISTS place_units;
DROP TABLE IF EXISTS place_unit_keys;
