-- How far back this run has to look: from the window before the earliest new or changed order. A nightly run
-- over yesterday's orders reads a month of history, not the whole store.
CREATE OR REPLACE TEMP TABLE tag_span AS
SELECT min(created_at) AS first_changed,
       min(created_at) - to_days(CAST($window_days AS INTEGER)) AS t0
FROM orders
WHERE seq > $mark;

-- Repeat keys of the orders in that span. Caller: the caller hash (with the level-2 category unless configured off).
-- Place, within the same level-2 category: rounded coordinates when given, else street + address, else
-- street + community. Coordinates the place stage found to name no place (place_placeholders: a geocoder's
-- default point shared by orders from many districts) are no place here either, or every order geocoded to it
-- would repeat every other one.
CREATE OR REPLACE TEMP TABLE tag_keys AS
WITH placeholder_points AS (
  SELECT DISTINCT lon, lat FROM place_placeholders
),
keyed AS (
SELECT
  order_id,
  created_at,
  closed_at,
  seq,
  -- the order's row in orders: score_read.sql fetches content, category and department by it (an integer join)
  o.rowid AS orow,
  -- structure bits known from the order itself (see score_read.sql): 1 dispatched at least twice, 2 reopened
  CAST(  CASE WHEN coalesce(dispatch_count, 0) >= 2 THEN 1 ELSE 0 END
       + CASE WHEN coalesce(reopened, false) THEN 2 ELSE 0 END AS UTINYINT) AS flags,
  -- new or changed since the last run; targets.sql adds the earlier-stored orders that share a key with one
  seq > $mark AS target,
  CASE WHEN nullif(trim(caller_hash), '') IS NOT NULL
       THEN caller_hash || CASE WHEN $caller_same_category THEN '|' || cat2 ELSE '' END
  END AS caller_key,
  CASE WHEN o.lon IS NOT NULL AND o.lat IS NOT NULL AND pp.lon IS NULL
         THEN cat2 || '|@' || round(o.lon, $decimals)::VARCHAR || ',' || round(o.lat, $decimals)::VARCHAR
       WHEN nullif(trim(address), '') IS NOT NULL
         THEN cat2 || '|' || coalesce(street, '') || '|' || regexp_replace(address, '\s+', '', 'g')
       WHEN nullif(trim(community), '') IS NOT NULL
         THEN cat2 || '|' || coalesce(street, '') || '|#' || trim(community)
  END AS place_key
FROM orders o
LEFT JOIN placeholder_points pp ON pp.lon = o.lon AND pp.lat = o.lat
WHERE created_at >= (SELECT t0 FROM tag_span)
)
-- Kept as their 128-bit MD5 numbers: the repeat windows partition by a number instead of sorting the strings
-- (a third less work). Not hash(): DuckDB's 64-bit string hash gives thousands of collisions on keys like these
-- ('…|@116.858,39.765' and '…|@116.358,39.715' share one), which would merge places; test/tag/keys.test.ts.
-- Narrow on purpose (no category, department or content): at 10M orders every wide copy spilled past the
-- memory limit.
SELECT * EXCLUDE (caller_key, place_key), md5_number(caller_key) AS caller_h, md5_number(place_key) AS place_h FROM keyed;

-- The orders to (re)compute, numbered by kid (the row of tag_keys), an integer for the joins that follow.
-- A view, not a copy: tag_keys marks them.
CREATE OR REPLACE TEMP VIEW tag_targets AS
SELECT rowid AS kid, * FROM tag_keys WHERE target;
