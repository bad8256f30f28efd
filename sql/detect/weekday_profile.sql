-- Orders per category (every level, as weekly_counts.sql numbers them) and ISO weekday (1 = Monday … 7 = Sunday),
-- city-wide, over the 52 weeks before the as-of: a category's own week, read only when some week the tests look at
-- lacks days (an export that was not loaded). The hotline's week is the sum of its level-1 rows. Run while
-- weekly_counts.sql's tables are there (before drop_weekly.sql).
WITH pair_days AS (
  SELECT s.source_id, isodow(c.day)::INTEGER AS dow, sum(c.n)::BIGINT AS n
  FROM daily_counts c
  JOIN detect_sources s ON s.path IS NULL AND s.cat1 = c.cat1 AND s.cat2 = c.cat2
  WHERE c.day < $as_of::DATE AND c.day < $week0::DATE + 7 AND c.day >= $week0::DATE - 7 * 51
  GROUP BY ALL
),
path_days AS (
  SELECT s.source_id, isodow(c.day)::INTEGER AS dow, sum(c.n)::BIGINT AS n
  FROM daily_leaf_counts c
  JOIN detect_sources s ON s.path = c.category
  WHERE c.day < $as_of::DATE AND c.day < $week0::DATE + 7 AND c.day >= $week0::DATE - 7 * 51
  GROUP BY ALL
)
SELECT k.level::INTEGER AS level, k.category, d.dow, sum(d.n)::BIGINT AS n
FROM (SELECT * FROM pair_days UNION ALL SELECT * FROM path_days) d
JOIN detect_source_cats k USING (source_id)
GROUP BY ALL;
