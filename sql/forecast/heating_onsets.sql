-- When each past heating season began, read from the orders: in the categories whose name matches the heating
-- pattern ($pattern, forecast.seasonalPatterns.heating: 供暖, 暖气, 供热, 采暖 by default), the day between 1 October and 20 December where the next 7 days most exceed the 7 before. Only seasons
-- whose window lies wholly before the as-of, and with a step of at least 20 orders a week and twice the week before.
WITH heating_days AS (
  SELECT day, sum(n) AS n
  FROM daily_counts
  WHERE regexp_matches(cat2, $pattern) AND day < $as_of::DATE
  GROUP BY day
),
calendar AS (
  SELECT CAST(d AS DATE) AS day
  FROM range((SELECT min(day) FROM heating_days)::TIMESTAMP, $as_of::DATE::TIMESTAMP, INTERVAL 1 DAY) t(d)
),
dense AS (
  SELECT c.day, coalesce(h.n, 0) AS n FROM calendar c LEFT JOIN heating_days h USING (day)
),
steps AS (
  SELECT day,
         sum(n) OVER (ORDER BY day ROWS BETWEEN CURRENT ROW AND 6 FOLLOWING) AS next7,
         sum(n) OVER (ORDER BY day ROWS BETWEEN 7 PRECEDING AND 1 PRECEDING) AS prev7,
         count(*) OVER (ORDER BY day ROWS BETWEEN 7 PRECEDING AND 6 FOLLOWING) AS span
  FROM dense
),
candidates AS (
  SELECT year(day) AS season, day, next7 - prev7 AS step, next7, prev7
  FROM steps
  WHERE span = 14
    AND (month(day) = 10 OR month(day) = 11 OR (month(day) = 12 AND dayofmonth(day) <= 20))
    AND make_date(year(day), 12, 27) < $as_of::DATE
)
SELECT season, strftime(arg_max(day, step), '%m-%d') AS onset, max(step) AS step
FROM candidates
GROUP BY season
HAVING max(step) >= 20 AND max_by(next7, step) >= 2 * max_by(prev7, step)
ORDER BY season;
