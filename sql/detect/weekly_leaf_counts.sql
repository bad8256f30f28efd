-- Weekly counts at level 3 and below (小类 and finer) × scope, added to detect_weekly (weekly_counts.sql made it
-- with levels 1 and 2). Same as-of rule and the same tested weeks; each finest path is rolled up to every prefix of
-- three levels or more, so a rise that lives in one 小类 is tested there and not only inside its 中类.
INSERT INTO detect_weekly (w, category, level, cat1, scope_level, scope_name, district, y)
WITH recent_days AS (
  SELECT
    ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w,
    category, district, street, n
  FROM daily_leaf_counts
  WHERE day < $as_of::DATE
    AND day < $week0::DATE + 7
    AND day >= $week0::DATE - 7 * $max_weeks
),
tested_weeks AS (
  SELECT * FROM recent_days
  WHERE w < 28 OR w % 52 >= 49 OR w % 52 <= 14
),
street_weeks AS (
  SELECT w, category, district, street, sum(n)::INTEGER AS n
  FROM tested_weeks
  GROUP BY ALL
),
-- one row per level from 3 to the path's depth
path_levels AS (
  SELECT w, string_split(category, '/') AS parts, district, street, n,
         unnest(range(3, len(string_split(category, '/')) + 1)) AS level
  FROM street_weeks
),
prefixes AS (
  SELECT w, level, array_to_string(parts[1:level], '/') AS category, parts[1] AS cat1, district, street,
         sum(n)::INTEGER AS n
  FROM path_levels
  GROUP BY ALL
),
by_week AS (
  SELECT
    w, level, category, cat1, district, street,
    GROUPING(district) AS g_district,
    GROUPING(street)   AS g_street,
    sum(n)::INTEGER    AS y
  FROM prefixes
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
WHERE (g_district = 1 OR district IS NOT NULL)
  AND (g_street = 1 OR street IS NOT NULL);
