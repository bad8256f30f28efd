-- The largest level-2 categories of last month, with their change against a year earlier (context for the topics).
WITH by_cat AS (
  SELECT
    cat2 AS category,
    sum(n - n_out_of_scope) FILTER (WHERE day >= $last_start::DATE)                      AS n_last,
    -- the same first days as last month when the data stops inside it ($cut_day, overview.sql)
    sum(n - n_out_of_scope) FILTER (WHERE day >= $ly_start::DATE AND day < $ly_end::DATE AND dayofmonth(day) <= $cut_day) AS n_ly
  FROM daily_counts
  WHERE day >= $ly_start::DATE AND day < $as_of::DATE
  GROUP BY cat2
),
-- the name a chart shows: the last of the stored level names up to level 2 (orders.category_levels; a store loaded
-- before that column splits at '/'), never the part after the joined path's last '/' ('Litter / Bin / Graffiti on
-- Bin' is one name). Read from the distinct level lists: a few hundred, whatever the store's size.
level_lists AS (
  SELECT DISTINCT coalesce(category_levels, string_split(category, '/')) AS levels FROM orders
),
shown_names AS (
  SELECT array_to_string(levels[1:least(2, len(levels))], '/') AS category, min(levels[least(2, len(levels))]) AS name
  FROM level_lists
  GROUP BY ALL
)
SELECT b.category, coalesce(s.name, b.category) AS name, b.n_last, b.n_ly
FROM by_cat b
LEFT JOIN shown_names s USING (category)
WHERE b.n_last > 0
ORDER BY b.n_last DESC, b.category
LIMIT $limit;
