-- Weekly order counts (weeks start Monday) for every level-1 and level-2 category, city-wide and per district,
-- over complete weeks only: from the first Monday of the data to the last week that ends before $to_week.
-- A series exists at a level only for the orders whose path names that level: a one-level path stores cat2 = cat1
-- (schema/0300_daily_counts.sql), and counting it at level 2 too would repeat its 大类 as a 小类.
WITH days AS (
  SELECT date_trunc('week', day)::DATE AS week_start, cat1, cat2, district, n
  FROM daily_counts
  WHERE day >= $from_week AND day < $to_week
),
by_category AS (
  SELECT 1 AS level, cat1 AS category, district, week_start, sum(n) AS n FROM days GROUP BY ALL
  UNION ALL
  SELECT 2 AS level, cat2 AS category, district, week_start, sum(n) AS n FROM days WHERE cat2 <> cat1 GROUP BY ALL
),
city AS (
  SELECT level, category, 'city' AS scope_level, $city AS scope_name, week_start, sum(n)::BIGINT AS n
  FROM by_category GROUP BY ALL
),
district AS (
  SELECT level, category, 'district' AS scope_level, district AS scope_name, week_start, sum(n)::BIGINT AS n
  FROM by_category WHERE district IS NOT NULL AND district <> '' GROUP BY ALL
)
SELECT * FROM city
UNION ALL
SELECT * FROM district
ORDER BY scope_level, scope_name, level, category, week_start;
