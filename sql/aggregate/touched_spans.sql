-- The touched days cut into spans of consecutive days holding about $span_orders orders each (a day is never split),
-- each with its bounds as the counting query takes them (daily_counts.sql): its first day and the day after its last.
-- A night's few touched days are one span; a first run over years of orders is a few.
WITH day_orders AS (
  SELECT created_at::DATE AS day, count(*) AS n
  FROM orders
  WHERE created_at::DATE IN (SELECT day FROM touched_days)
  GROUP BY ALL
),
spans AS (
  SELECT day, (sum(n) OVER (ORDER BY day) - n) // $span_orders AS span
  FROM day_orders
)
SELECT count(*)::INTEGER AS days, min(day)::VARCHAR AS first, (max(day) + 1)::VARCHAR AS after
FROM spans
GROUP BY span
ORDER BY first;
