-- Weekly counts per category × scope (city, district, street) at every level of the taxonomy, as of $as_of:
-- levels 1 and 2 from daily_counts (cat1, cat2), level 3 and finer from daily_leaf_counts, each finest path rolled
-- up to every prefix of three levels or more (cut at its stored level names, see path_names), so a rise that lives
-- in one 小类 is tested there and not only inside its 中类. Week index w counts back from the last complete Monday-week before $as_of (w = 0) to $max_weeks; only
-- days strictly before $as_of are read, and only the weeks the tests look at (see active_series.sql). Weeks with
-- no orders are absent (the statistics treat them as zero).
-- Each source is summed to street-weeks and rolled up to its scopes on its own, then the scopes are named for both
-- (one aggregation over both tables' days at once ran a 1,000-小类 × 300-street city out of the store's 1 GB).
CREATE OR REPLACE TEMP TABLE detect_weekly AS
WITH street_weeks AS (
  SELECT ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w, cat1, cat2, district, street, sum(n)::INTEGER AS n
  FROM daily_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
  GROUP BY ALL HAVING w < 28 OR w % 52 >= 49 OR w % 52 <= 14
),
levels_1_2 AS (
  SELECT w, cat1, cat2, district, street, GROUPING(cat2) AS g_cat2, GROUPING(district) AS g_district,
         GROUPING(street) AS g_street, sum(n)::INTEGER AS y
  FROM street_weeks
  GROUP BY GROUPING SETS (
    (w, cat1), (w, cat1, district), (w, cat1, district, street),
    (w, cat1, cat2), (w, cat1, cat2, district), (w, cat1, cat2, district, street)
  )
),
leaf_street_weeks AS (
  SELECT ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w, category AS path, district, street, sum(n)::INTEGER AS n
  FROM daily_leaf_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
  GROUP BY ALL HAVING w < 28 OR w % 52 >= 49 OR w % 52 <= 14
),
-- each path read this run, with its level names (leaf_paths, filled by the aggregate stage from the orders' stored
-- names): a name may hold '/' (HEAT/HOT WATER), so the prefixes are cut by names, never by the joined path's slashes.
-- A path no order recorded names for (a row written by hand) is read as its slashes, as orders without names are.
path_names AS (
  SELECT p.path, coalesce(l.category_levels, string_split(p.path, '/')) AS names
  FROM (SELECT DISTINCT category AS path FROM daily_leaf_counts
        WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks) p
  LEFT JOIN leaf_paths l ON l.category = p.path
),
-- one row per path and level from 3 to the path's depth, computed once per distinct path, not per week row
path_prefixes AS (
  SELECT path, level, array_to_string(names[1:level], '/') AS category,
         array_to_string(names[1:level - 1], '/') AS parent, names[1] AS cat1
  FROM (SELECT path, names, unnest(range(3, len(names) + 1)) AS level FROM path_names)
),
prefixes AS (
  SELECT w, level, category, parent, cat1, district, street, sum(n)::INTEGER AS n
  FROM leaf_street_weeks JOIN path_prefixes USING (path)
  GROUP BY ALL
),
by_week AS (
  SELECT w, CASE WHEN g_cat2 = 0 THEN 2 ELSE 1 END AS level, CASE WHEN g_cat2 = 0 THEN cat2 ELSE cat1 END AS category,
         CASE WHEN g_cat2 = 0 THEN cat1 END AS parent, cat1, district, street, g_district, g_street, y
  FROM levels_1_2
  -- a test exists at a level only for the orders whose path names that level: a one-level path stores cat2 = cat1,
  -- and testing it at level 2 too would raise every alert of its 大类 twice
  WHERE g_cat2 = 1 OR cat2 <> cat1
  UNION ALL
  SELECT w, level, category, parent, cat1, district, street, GROUPING(district), GROUPING(street), sum(n)::INTEGER
  FROM prefixes
  GROUP BY GROUPING SETS (
    (w, level, category, parent, cat1), (w, level, category, parent, cat1, district),
    (w, level, category, parent, cat1, district, street)
  )
)
SELECT
  w,
  category,
  level,
  parent,                                                            -- the category one level up (NULL at level 1)
  cat1,
  CASE WHEN g_district = 1 THEN 'city'
       WHEN g_street = 1   THEN 'district'
       ELSE 'street' END                                             AS scope_level,
  CASE WHEN g_district = 1 THEN $city
       WHEN g_street = 1   THEN district
       ELSE street END                                               AS scope_name,
  CASE WHEN g_district = 0 THEN district END                         AS district,
  y
FROM by_week
-- orders without a district or street are counted at the levels above them, never as a nameless scope
WHERE (g_district = 1 OR district IS NOT NULL)
  AND (g_street = 1 OR street IS NOT NULL);
