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
)
SELECT category, n_last, n_ly
FROM by_cat
WHERE n_last > 0
ORDER BY n_last DESC, category
LIMIT $limit;
