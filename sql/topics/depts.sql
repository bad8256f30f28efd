-- Which departments actually handled last month's orders of each category: the top handlers become co-units.
-- A department is named by its text with runs of blanks (line breaks included) made one space and its ends trimmed:
-- an export's multi-line cell ("Technische Betriebe Konstanz\r\n\r\n") is the same unit as its one-line spelling, and
-- a name proposed as lead unit must match a recipient's configured `units`.
WITH named AS (
  SELECT cat1, cat2, nullif(trim(regexp_replace(dept, '\s+', ' ', 'g')), '') AS dept
  FROM topic_orders
),
handled AS (
  SELECT
    CASE WHEN GROUPING(cat2) = 1 THEN cat1 ELSE cat2 END AS category,
    dept,
    count(*) AS n
  FROM named
  WHERE dept IS NOT NULL
  GROUP BY GROUPING SETS ((cat1, dept), (cat1, cat2, dept))
)
SELECT category, dept, n, n / sum(n) OVER (PARTITION BY category) AS share
FROM handled
QUALIFY row_number() OVER (PARTITION BY category ORDER BY n DESC, dept) <= 5;
