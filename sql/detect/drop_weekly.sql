-- The tables weekly_counts.sql built for one run, dropped once the series are read.
DROP TABLE IF EXISTS detect_weekly;
DROP TABLE IF EXISTS detect_cats;
DROP TABLE IF EXISTS detect_source_cats;
DROP TABLE IF EXISTS detect_sources;
DROP TABLE IF EXISTS detect_places;
DROP TABLE IF EXISTS detect_place_ids;
