-- Weekly counts per category × scope (city, district, street) at every level of the taxonomy, as of $as_of:
-- levels 1 and 2 from daily_counts (cat1, cat2), level 3 and finer from daily_leaf_counts, each finest path rolled
-- up to every prefix of three levels or more (cut at its stored level names, see detect_sources), so a rise that lives
-- in one 小类 is tested there and not only inside its 中类. Week index w counts back from the last complete
-- Monday-week before $as_of (w = 0) to $max_weeks; only days strictly before $as_of are read, and only the weeks the
-- tests look at (see active_series.sql). Weeks with no orders are absent (the statistics treat them as zero).
--
-- Names are numbered once, in small tables (detect_places, detect_cats), and every aggregation over the days groups
-- those integers: a week row carries (cat_id, place_id, w, y), not seven names. Grouping the names themselves held
-- every name in every hash-table row and in each of the ~11M week rows of a 1,000-小类 × 300-street city: the week
-- table alone took 717 MB with 261 MB more spilled, the store's whole 1 GB, beside detection's own memory (278 MB now).

-- the districts and streets read this run: the city is place 0, each district 1…D, each street (within its
-- district) D+1…; an order without a district or street counts at the levels above it only (NULL ids)
CREATE OR REPLACE TEMP TABLE detect_place_ids AS
WITH read AS (
  SELECT DISTINCT district, street FROM daily_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
  UNION
  SELECT DISTINCT district, street FROM daily_leaf_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
),
districts AS (
  SELECT district, row_number() OVER (ORDER BY district)::INTEGER AS district_id
  FROM (SELECT DISTINCT district FROM read WHERE district IS NOT NULL)
),
streets AS (
  SELECT district, street,
         ((SELECT count(*) FROM districts) + row_number() OVER (ORDER BY district, street))::INTEGER AS street_id
  FROM (SELECT DISTINCT district, street FROM read WHERE district IS NOT NULL AND street IS NOT NULL)
)
SELECT r.district, r.street, d.district_id, s.street_id
FROM read r
LEFT JOIN districts d ON d.district = r.district
LEFT JOIN streets s ON s.district = r.district AND s.street = r.street;

CREATE OR REPLACE TEMP TABLE detect_places AS
SELECT 0 AS place_id, 'city' AS scope_level, $city AS scope_name, NULL::VARCHAR AS district
UNION ALL
SELECT DISTINCT district_id, 'district', district, district FROM detect_place_ids WHERE district_id IS NOT NULL
UNION ALL
SELECT street_id, 'street', street, district FROM detect_place_ids WHERE street_id IS NOT NULL;

-- each (cat1, cat2) pair and each finest path read this run, numbered; a path comes with its level names
-- (leaf_paths, filled by the aggregate stage from the orders' stored names): a name may hold '/' (HEAT/HOT WATER),
-- so its prefixes are cut by names, never by the joined path's slashes. A path no order recorded names for (a row
-- written by hand) is read as its slashes, as orders without names are.
CREATE OR REPLACE TEMP TABLE detect_sources AS
WITH pairs AS (
  SELECT DISTINCT cat1, cat2 FROM daily_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
),
paths AS (
  SELECT DISTINCT category AS path FROM daily_leaf_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
)
SELECT row_number() OVER (ORDER BY cat1, cat2)::INTEGER AS source_id, cat1, cat2, NULL::VARCHAR AS path,
       NULL::VARCHAR[] AS names
FROM pairs
UNION ALL
SELECT ((SELECT count(*) FROM pairs) + row_number() OVER (ORDER BY p.path))::INTEGER, NULL, NULL, p.path,
       coalesce(l.category_levels, string_split(p.path, '/'))
FROM paths p LEFT JOIN leaf_paths l ON l.category = p.path;

-- every category a source counts in, one row per (source, level): a pair's 大类 and, when the path names one, its
-- 中类 (a one-level path stores cat2 = cat1, and testing it at level 2 too would raise every alert of its 大类
-- twice); a path's prefixes from level 3 to its depth
CREATE OR REPLACE TEMP TABLE detect_source_cats AS
WITH levels AS (
  SELECT source_id, 1 AS level, cat1 AS category, NULL::VARCHAR AS parent, cat1 FROM detect_sources WHERE path IS NULL
  UNION ALL
  SELECT source_id, 2, cat2, cat1, cat1 FROM detect_sources WHERE path IS NULL AND cat2 <> cat1
  UNION ALL
  SELECT source_id, level, array_to_string(names[1:level], '/'), array_to_string(names[1:level - 1], '/'), names[1]
  FROM (SELECT source_id, names, unnest(range(3, len(names) + 1)) AS level FROM detect_sources WHERE path IS NOT NULL)
)
SELECT source_id, level, category, parent, cat1, dense_rank() OVER (ORDER BY level, category, parent, cat1)::INTEGER AS cat_id
FROM levels;

CREATE OR REPLACE TEMP TABLE detect_cats AS
SELECT DISTINCT cat_id, level, category, parent, cat1 FROM detect_source_cats;

-- each source's street-weeks, from its own table (one aggregation over both tables' days at once ran a 1,000-小类 ×
-- 300-street city out of the store's 1 GB), rolled up to its categories and then to city, district and street
CREATE OR REPLACE TEMP TABLE detect_weekly AS
WITH pair_weeks AS (
  SELECT ($week0::DATE - date_trunc('week', c.day)::DATE) // 7 AS w, s.source_id, p.district_id, p.street_id,
         sum(c.n)::INTEGER AS n
  FROM daily_counts c
  JOIN detect_sources s ON s.path IS NULL AND s.cat1 = c.cat1 AND s.cat2 = c.cat2
  JOIN detect_place_ids p ON p.district IS NOT DISTINCT FROM c.district AND p.street IS NOT DISTINCT FROM c.street
  WHERE c.day < $as_of::DATE AND c.day < $week0::DATE + 7 AND c.day >= $week0::DATE - 7 * $max_weeks
  GROUP BY ALL HAVING w < 28 OR w % 52 >= 49 OR w % 52 <= 14
),
path_weeks AS (
  SELECT ($week0::DATE - date_trunc('week', c.day)::DATE) // 7 AS w, s.source_id, p.district_id, p.street_id,
         sum(c.n)::INTEGER AS n
  FROM daily_leaf_counts c
  JOIN detect_sources s ON s.path = c.category
  JOIN detect_place_ids p ON p.district IS NOT DISTINCT FROM c.district AND p.street IS NOT DISTINCT FROM c.street
  WHERE c.day < $as_of::DATE AND c.day < $week0::DATE + 7 AND c.day >= $week0::DATE - 7 * $max_weeks
  GROUP BY ALL HAVING w < 28 OR w % 52 >= 49 OR w % 52 <= 14
),
category_weeks AS (
  SELECT w, k.cat_id, district_id, street_id, sum(n)::INTEGER AS n
  FROM (SELECT * FROM pair_weeks UNION ALL SELECT * FROM path_weeks) sw
  JOIN detect_source_cats k USING (source_id)
  GROUP BY ALL
),
by_scope AS (
  SELECT w, cat_id, district_id, street_id, GROUPING(district_id) AS g_district, GROUPING(street_id) AS g_street,
         sum(n)::INTEGER AS y
  FROM category_weeks
  GROUP BY GROUPING SETS ((w, cat_id), (w, cat_id, district_id), (w, cat_id, district_id, street_id))
)
SELECT cat_id,
       CASE WHEN g_district = 1 THEN 0 WHEN g_street = 1 THEN district_id ELSE street_id END AS place_id,
       w::INTEGER AS w, y
FROM by_scope
-- orders without a district or street are counted at the levels above them, never as a nameless scope
WHERE (g_district = 1 OR district_id IS NOT NULL)
  AND (g_street = 1 OR street_id IS NOT NULL);
