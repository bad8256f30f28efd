-- Runs of days inside last month's data span on which the whole city has no order at all, for a city busy enough
-- that such a day cannot be a quiet one (median of its days with orders at least $min_daily): a hotline of that
-- size is never silent for a day, so the run is an export that was not loaded, and every monthly figure is short
-- by it. The span is [max(first order day, month start), last order day before $as_of]: days before the data
-- begins or after it stops are named by their own notes.
WITH daily AS (
  SELECT created_at::DATE AS day, count(*) AS n
  FROM orders
  WHERE created_at >= $last_start::DATE AND created_at < $as_of::DATE
  GROUP BY 1
),
span AS (
  SELECT greatest($last_start::DATE, (SELECT min(created_at)::DATE FROM orders)) AS first_day,
         max(day) AS last_day, median(n) AS median_n
  FROM daily
),
empty_days AS (
  SELECT r.range::DATE AS day
  FROM span, range(span.first_day, span.last_day, INTERVAL 1 DAY) r
  WHERE span.median_n >= $min_daily
    AND r.range::DATE NOT IN (SELECT day FROM daily)
),
runs AS (
  SELECT day, day - CAST(row_number() OVER (ORDER BY day) AS INTEGER) AS run_key FROM empty_days
)
SELECT strftime(min(day), '%Y-%m-%d') AS first_day, strftime(max(day), '%Y-%m-%d') AS last_day, count(*) AS days
FROM runs
GROUP BY run_key
ORDER BY first_day;
