-- The first day each category (level 1 and level 2) has an order anywhere, before $as_of: a category's weeks before
-- it are unknown (a new code in the taxonomy), not zero. Read from every day, not only the weeks the tests load.
SELECT 1 AS level, cat1 AS category, min(day)::VARCHAR AS first_day
FROM daily_counts
WHERE day < $as_of::DATE
GROUP BY cat1
UNION ALL
SELECT 2 AS level, cat2 AS category, min(day)::VARCHAR AS first_day
FROM daily_counts
WHERE day < $as_of::DATE
GROUP BY cat2;
