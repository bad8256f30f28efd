-- Weekly counts per category (level 1 and level 2) × scope (city, district, street), as of $as_of.
-- Week index w counts back from the last complete Monday-week before $as_of (w = 0) to $max_weeks; only days
-- strictly before $as_of are read, and only the weeks the tests look at (see active_series.sql). Weeks with no
-- orders are absent (the statistics treat them as zero).
CREATE OR REPLACE TEMP TABLE detect_weekly AS
WITH recent_days AS (
  SELECT
    ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w,
    cat1, cat2, district, street, n
  FROM daily_counts
  WHERE day < $as_of::DATE
    AND day < $week0::DATE + 7
    AND day >= $week0::DATE - 7 * $max_weeks
),
tested_weeks AS (
  SELECT * FROM recent_days
  WHERE w < 28 OR w % 52 >= 49 OR w % 52 <= 14
),
-- the finest level first: the six roll-ups below then read a few million weekly rows instead of every day,
-- which keeps a 60,000-series city inside the store's memory limit
street_weeks AS (
  SELECT w, cat1, cat2, district, street, sum(n)::INTEGER AS n
  FROM tested_weeks
  GROUP BY ALL
),
by_week AS (
  SELECT
    w,
    cat1,
    cat2,
    district,
    street,
    GROUPING(cat2)     AS g_cat2,
    GROUPING(district) AS g_district,
    GROUPING(street)   AS g_street,
    sum(n)::INTEGER    AS y
  FROM street_weeks
  GROUP BY GROUPING SETS (
    (w, cat1), (w, cat1, district), (w, cat1, district, street),
    (w, cat1, cat2), (w, cat1, cat2, district), (w, cat1, cat2, district, street)
  )
)
SELECT
  w,
  CASE WHEN g_cat2 = 0 THEN cat2 ELSE cat1 END                       AS category,
  CASE WHEN g_cat2 = 0 THEN 2 ELSE 1 END                             AS level,
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
