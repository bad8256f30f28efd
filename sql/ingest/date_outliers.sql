-- Stray dates among the orders one file just wrote (seq = $batch): rows in a sparse month (fewer than a tenth of the
-- file's median month) that lies before the first or after the last well-filled month. Real exports carry such rows
-- (a 2011–2014 export with 28 orders on 2000-01-03 and 156 in 2010): they are kept, but named, so whoever reads the
-- summary sees them and a series is not taken to start at them.
WITH monthly AS (
  SELECT date_trunc('month', created_at) AS month, count(*) AS rows
  FROM orders WHERE seq = $batch GROUP BY ALL
),
typical AS (
  SELECT median(rows) AS median_rows FROM monthly
),
marked AS (
  SELECT m.month, m.rows, m.rows < t.median_rows * 0.1 AS sparse FROM monthly m, typical t
),
sustained AS (
  SELECT min(month) AS first_month, max(month) AS last_month FROM marked WHERE NOT sparse
)
SELECT strftime(m.month, '%Y-%m') AS month, m.rows,
  strftime(s.first_month, '%Y-%m-%d') AS sustained_from,
  strftime(s.last_month + INTERVAL 1 MONTH - INTERVAL 1 DAY, '%Y-%m-%d') AS sustained_to
FROM marked m, sustained s
WHERE m.sparse AND (m.month < s.first_month OR m.month > s.last_month)
ORDER BY m.month;
