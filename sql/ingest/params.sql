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
  $sep_spaced::VARCHAR                             AS sep_spaced,
  $sep_spaced_run::VARCHAR                         AS sep_spaced_run,
  -- level names that mean 'no value' (a JSON array, lower case, trimmed): categories.sql ends a path at the first of them
  from_json($placeholders::VARCHAR, '["VARCHAR"]')  AS placeholders,
  -- place names that name no place (市辖区 …; a JSON array, lower case, trimmed): the mapped view reads them as empty
  from_json($place_placeholders::VARCHAR, '["VARCHAR"]') AS place_placeholders,
  -- each checked field as the quarantine reasons name it (typed_rows.sql): the file's own header(s) first when the
  -- file calls it something else (投诉时间（受理时间 created_at）), so the user finds the column; $src_<field> is NULL
  -- when the file's header is the canonical key, several headers are joined by '/' (mapping.ts sourceNames); a header
  -- that is the label itself (受理时间, as in the 12345-zh preset) says nothing more
  coalesce(nullif($src_order_id::VARCHAR, '工单编号') || '（工单编号 order_id）', '工单编号 order_id') AS name_order_id,
  coalesce(nullif($src_created_at::VARCHAR, '受理时间') || '（受理时间 created_at）', '受理时间 created_at') AS name_created_at,
  coalesce(nullif($src_category::VARCHAR, '诉求分类') || '（诉求分类 category）', '诉求分类 category') AS name_category,
  coalesce(nullif($src_content::VARCHAR, '诉求内容') || '（诉求内容 content）', '诉求内容 content') AS name_content,
  coalesce(nullif($src_lon::VARCHAR, '经度') || '（经度 lon）', '经度 lon') AS name_lon,
  coalesce(nullif($src_lat::VARCHAR, '纬度') || '（纬度 lat）', '纬度 lat') AS name_lat;
