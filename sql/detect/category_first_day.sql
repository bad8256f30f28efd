-- The first day each category (every level) has an order anywhere, before $as_of: a category's weeks before it are
-- unknown (a new code in the taxonomy), not zero. Read from every day, not only the weeks the tests load. Levels 3
-- and below come from daily_leaf_counts, each path's first day rolled up to its prefixes.
WITH leaf_first AS (
  SELECT category, min(day) AS first_day
  FROM daily_leaf_counts
  WHERE day < $as_of::DATE
  GROUP BY category
),
-- cut at the path's stored level names (leaf_paths; see weekly_counts.sql), never at the slashes of the joined path
leaf_levels AS (
  SELECT names, first_day, unnest(range(3, len(names) + 1)) AS level
  FROM (
    SELECT f.first_day, coalesce(l.category_levels, string_split(f.category, '/')) AS names
    FROM leaf_first f LEFT JOIN leaf_paths l ON l.category = f.category
  )
)
SELECT 1 AS level, cat1 AS category, min(day)::VARCHAR AS first_day
FROM daily_counts
WHERE day < $as_of::DATE
GROUP BY cat1
UNION ALL
SELECT 2 AS level, cat2 AS category, min(day)::VARCHAR AS first_day
FROM daily_counts
WHERE day < $as_of::DATE AND cat2 <> cat1   -- a path with no level 2 (cat2 = cat1) is a level-1 category only
GROUP BY cat2
UNION ALL
SELECT level, array_to_string(names[1:level], '/') AS category, min(first_day)::VARCHAR AS first_day
FROM leaf_levels
GROUP BY ALL;
