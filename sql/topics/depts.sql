-- Which departments actually handled last month's orders of each category: the top handlers become co-units.
WITH handled AS (
  SELECT
    CASE WHEN GROUPING(cat2) = 1 THEN cat1 ELSE cat2 END AS category,
    dept,
    count(*) AS n
  FROM topic_orders
  WHERE dept IS NOT NULL AND trim(dept) <> ''
  GROUP BY GROUPING SETS ((cat1, dept), (cat1, cat2, dept))
)
SELECT category, dept, n, n / sum(n) OVER (PARTITION BY category) AS share
FROM handled
QUALIFY row_number() OVER (PARTITION BY category ORDER BY n DESC, dept) <= 5;
