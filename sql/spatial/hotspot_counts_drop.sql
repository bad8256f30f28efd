-- The counts' temp tables, dropped as soon as they are read into JS: on a big store hs_placed holds a year of placed
-- orders, and the tests that follow need none of it.
DROP TABLE IF EXISTS hs_placed;
DROP TABLE IF EXISTS hs_daily;
DROP TABLE IF EXISTS hs_counts;
DROP TABLE IF EXISTS hs_categories;
