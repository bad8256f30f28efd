-- How far back this run has to look: from the window before the earliest new or changed order. A nightly run
-- over yesterday's orders reads a month of history, not the whole store.
CREATE OR REPLACE TEMP TABLE tag_span AS
SELECT min(created_at) AS first_changed,
       min(created_at) - to_days(CAST($window_days AS INTEGER)) AS t0
FROM orders
WHERE seq > $mark;

-- Repeat keys of the orders in that span. Caller: the caller hash (with the level-2 category unless configured off).
-- Place, within the same level-2 category: rounded coordinates when given, else street + address, else
-- street + community. order_places is not there yet (the spatial stage runs later), so only the order's own
-- columns count.
CREATE OR REPLACE TEMP TABLE tag_keys AS
WITH keyed AS (
SELECT
  order_id,
  created_at,
  closed_at,
  seq,
  category,
  dept,
  dispatch_count,
  reopened,
  CASE WHEN nullif(trim(caller_hash), '') IS NOT NULL
       THEN caller_hash || CASE WHEN $caller_same_category THEN '|' || cat2 ELSE '' END
  END AS caller_key,
  CASE WHEN lon IS NOT NULL AND lat IS NOT NULL
         THEN cat2 || '|@' || round(lon, $decimals)::VARCHAR || ',' || round(lat, $decimals)::VARCHAR
       WHEN nullif(trim(address), '') IS NOT NULL
         THEN cat2 || '|' || coalesce(street, '') || '|' || regexp_replace(address, '\s+', '', 'g')
       WHEN nullif(trim(community), '') IS NOT NULL
         THEN cat2 || '|' || coalesce(street, '') || '|#' || trim(community)
  END AS place_key
FROM orders
WHERE created_at >= (SELECT t0 FROM tag_span)
)
-- Kept as their 128-bit MD5 numbers: the repeat windows partition by a number instead of sorting the strings
-- (a third less work). Not hash(): DuckDB's 64-bit string hash gives thousands of collisions on keys like these
-- ('…|@116.858,39.765' and '…|@116.358,39.715' share one), which would merge places; test/tag/keys.test.ts.
-- The scorer's inputs (category, department, structure columns) come along, so tag_input needs no join with orders.
SELECT * EXCLUDE (caller_key, place_key), md5_number(caller_key) AS caller_h, md5_number(place_key) AS place_h FROM keyed;

-- Orders to (re)compute: new or changed since the last run, plus existing orders from the earliest of those on
-- that share a key with one (a late-arriving earlier order can make them repeats).
-- kid (the row of tag_keys) identifies them in the joins that follow, an integer instead of order_id.
CREATE OR REPLACE TEMP TABLE tag_targets AS
WITH changed AS (
  SELECT rowid AS kid, * FROM tag_keys WHERE seq > $mark
),
later_with_shared_key AS (
  SELECT k.rowid AS kid, k.*
  FROM tag_keys k, tag_span s
  WHERE k.seq <= $mark
    AND k.created_at >= s.first_changed
    AND (k.caller_h IN (SELECT caller_h FROM changed WHERE caller_h IS NOT NULL)
      OR k.place_h  IN (SELECT place_h  FROM changed WHERE place_h  IS NOT NULL))
)
SELECT * FROM changed
UNION ALL
SELECT * FROM later_with_shared_key;
