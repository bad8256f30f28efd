-- Weekly counts per category × scope (city, district, street) at every level of the taxonomy, as of $as_of:
-- levels 1 and 2 from daily_counts (cat1, cat2), level 3 and finer from daily_leaf_counts, each finest path rolled
-- up to every prefix of three levels or more, so a rise that lives in one 小类 is tested there and not only inside
-- its 中类. Week index w counts back from the last complete Monday-week before $as_of (w = 0) to $max_weeks; only
-- days strictly before $as_of are read, and only the weeks the tests look at (see active_series.sql). Weeks with
-- no orders are absent (the statistics treat them as zero).
-- Three statements, the finest level first: each source is summed to street-weeks on its own (one pass over all
-- days at once ran a 1,000-小类 × 300-street city out of the store's 1 GB), then one roll-up to scopes.
CREATE OR REPLACE TEMP TABLE detect_category_weeks AS
WITH street_weeks AS (
  SELECT ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w, cat1, cat2, district, street, sum(n)::INTEGER AS n
  FROM daily_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
  GROUP BY ALL HAVING w < 28 OR w % 52 >= 49 OR w % 52 <= 14
)
SELECT w, 1 AS level, cat1 AS category, cat1, district, street, n FROM street_weeks
UNION ALL
SELECT w, 2, cat2, cat1, district, street, n FROM street_weeks;

INSERT INTO detect_category_weeks (w, level, category, cat1, district, street, n)
WITH street_weeks AS (
  SELECT ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w, category AS path, district, street, sum(n)::INTEGER AS n
  FROM daily_leaf_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
  GROUP BY ALL HAVING w < 28 OR w % 52 >= 49 OR w % 52 <= 14
),
-- one row per level from 3 to the path's depth
path_levels AS (
  SELECT w, string_split(path, '/') AS parts, district, street, n,
         unnest(range(3, len(string_split(path, '/')) + 1)) AS level
  FROM street_weeks
)
SELECT w, level, array_to_string(parts[1:level], '/'), parts[1], district, street, sum(n)::INTEGER
FROM path_levels
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE detect_weekly AS
WITH by_week AS (
  SELECT
    w, level, category, cat1, district, street,
    GROUPING(district) AS g_district,
    GROUPING(street)   AS g_street,
    sum(n)::INTEGER    AS y
  FROM detect_category_weeks
  GROUP BY GROUPING SETS (
    (w, level, category, cat1), (w, level, category, cat1, district), (w, level, category, cat1, district, street)
  )
)
SELECT
  w,
  category,
  level,
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

DROP TABLE detect_category_weeks;
