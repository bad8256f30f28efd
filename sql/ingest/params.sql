-- The values one file's temp views read, in one row: a view cannot take parameters, so typed_rows.sql and
-- categories.sql join this table instead (bound here, never pasted into SQL text, never left in a session variable).
-- date_to_excl is the first instant after the window's last day (the window is whole days, both ends included).
CREATE OR REPLACE TEMP TABLE ingest_params AS
SELECT
  $salt::VARCHAR                                   AS salt,
  $date_from::TIMESTAMP                            AS date_from,
  $date_to::TIMESTAMP + INTERVAL 1 DAY             AS date_to_excl,
  -- the city's time zone: a time with a UTC offset (or a Unix epoch) is stored as wall-clock time there
  $timezone::VARCHAR                               AS city_tz,
  -- true when the config names no zone (city_tz is then the default): a written offset keeps its own wall clock
  $own_offset::BOOLEAN                             AS own_offset,
  $sep_dirty::VARCHAR                              AS sep_dirty,
  $sep_run::VARCHAR                                AS sep_run,
  $sep_gap::VARCHAR                                AS sep_gap,
  -- level names that mean 'no value' (a JSON array, lower case, trimmed): categories.sql ends a path at the first of them
  from_json($placeholders::VARCHAR, '["VARCHAR"]')  AS placeholders,
  -- place names that name no place (市辖区 …; a JSON array, lower case, trimmed): the mapped view reads them as empty
  from_json($place_placeholders::VARCHAR, '["VARCHAR"]') AS place_placeholders;
