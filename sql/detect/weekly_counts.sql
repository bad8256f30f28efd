-- Weekly counts per category × scope (city, district, street) at every level of the taxonomy, as of $as_of:
-- levels 1 and 2 from daily_counts (cat1, cat2), level 3 and finer from daily_leaf_counts, each finest path rolled
-- up to every prefix of three levels or more, so a rise that lives in one 小类 is tested there and not only inside
-- its 中类. Week index w counts back from the last complete Monday-week before $as_of (w = 0) to $max_weeks; only
-- days strictly before $as_of are read, and only the weeks the tests look at (see active_series.sql). Weeks with
-- no orders are absent (the statistics treat them as zero).
CREATE OR REPLACE TEMP TABLE detect_weekly AS
WITH recent_days AS (
  SELECT day, cat1, cat2, NULL::VARCHAR AS path, district, street, n FROM daily_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
  UNION ALL
  SELECT day, NULL, NULL, category, district, street, n FROM daily_leaf_counts
  WHERE day < $as_of::DATE AND day < $week0::DATE + 7 AND day >= $week0::DATE - 7 * $max_weeks
),
indexed AS (
  SELECT ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w, cat1, cat2, path, district, street, n
  FROM recent_days
),
-- the finest level first: the roll-ups below then read a few million weekly rows instead of every day, which keeps
-- a 100,000-series city inside the store's memory limit
street_weeks AS (
  SELECT w, cat1, cat2, path, district, street, sum(n)::INTEGER AS n
  FROM indexed
  WHERE w < 28 OR w % 52 >= 49 OR w % 52 <= 14
  GROUP BY ALL
),
leaf_levels AS (
  SELECT w, string_split(path, '/') AS parts, district, street, n,
         unnest(range(3, len(string_split(path, '/')) + 1)) AS level
  FROM street_weeks
  WHERE path IS NOT NULL
),
category_weeks AS (
  SELECT w, 1 AS level, cat1 AS category, cat1, district, street, n FROM street_weeks WHERE path IS NULL
  UNION ALL
  SELECT w, 2, cat2, cat1, district, street, n FROM street_weeks WHERE path IS NULL
  UNION ALL
  SELECT w, level, array_to_string(parts[1:level], '/'), parts[1], district, street, n FROM leaf_levels
),
by_week AS (
  SELECT
    w, level, category, cat1, district, street,
    GROUPING(district) AS g_district,
    GROUPING(street)   AS g_street,
    sum(n)::INTEGER    AS y
  FROM category_weeks
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
