-- For every forecast series of the as-of date: each forecast week beside the same week a year earlier, and the
-- series' recent complete weeks, growth over the last year and its weeks over two years and 12 weeks (whether the
-- wave came in past seasons too) — what a surge is measured against.
-- $data_as_of: the as-of the data reaches (store/data-end.ts): the recent weeks end there, not at the as-of, when the
-- data stopped before it.
WITH params AS (
  SELECT $as_of::DATE AS as_of, date_trunc('week', $as_of::DATE)::DATE AS first_week,
         date_trunc('week', $data_as_of::DATE)::DATE AS data_week
),
weekly AS (
  SELECT date_trunc('week', d.day)::DATE AS week_start, d.cat1, d.cat2, d.district, sum(d.n) AS n
  FROM daily_counts d, params p
  WHERE d.day >= p.data_week - INTERVAL 812 DAY AND d.day < p.data_week
  GROUP BY ALL
),
actual AS (
  SELECT 1 AS level, cat1 AS category, 'city' AS scope_level, $city AS scope_name, week_start, sum(n) AS n FROM weekly GROUP BY ALL
  UNION ALL
  -- level 2 only where the path names one (cat2 <> cat1), as in weekly_series.sql
  SELECT 2, cat2, 'city', $city, week_start, sum(n) FROM weekly WHERE cat2 <> cat1 GROUP BY ALL
  UNION ALL
  SELECT 1, cat1, 'district', district, week_start, sum(n) FROM weekly WHERE district IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 2, cat2, 'district', district, week_start, sum(n) FROM weekly WHERE district IS NOT NULL AND cat2 <> cat1 GROUP BY ALL
),
recent AS (
  SELECT a.level, a.category, a.scope_level, a.scope_name,
         list({'week_start': a.week_start::VARCHAR, 'n': a.n} ORDER BY a.week_start) FILTER (WHERE a.week_start >= p.data_week - INTERVAL 84 DAY) AS weeks,
         sum(a.n) FILTER (WHERE a.week_start >= p.data_week - INTERVAL 56 DAY) AS last8,
         sum(a.n) FILTER (WHERE a.week_start >= p.data_week - INTERVAL 420 DAY AND a.week_start < p.data_week - INTERVAL 364 DAY) AS last8_year_before,
         min(a.week_start)::VARCHAR AS first_seen,
         list({'week_start': a.week_start::VARCHAR, 'n': a.n} ORDER BY a.week_start) AS history
  FROM actual a, params p
  GROUP BY ALL
),
forecast AS (
  SELECT f.category, f.level, f.scope_level, f.scope_name, f.week_start, f.yhat, f.lo, f.hi, f.model,
         (datediff('day', p.first_week, f.week_start) // 7) + 1 AS k, m.tracking
  FROM forecasts f
  CROSS JOIN params p
  LEFT JOIN forecast_models m
    ON m.as_of = f.as_of AND m.category = f.category AND m.level = f.level
   AND m.scope_level = f.scope_level AND m.scope_name = f.scope_name
  WHERE f.as_of = p.as_of
)
SELECT f.category, f.level, f.scope_level, f.scope_name, f.k, f.week_start::VARCHAR AS week_start, f.yhat, f.lo, f.hi, f.model,
       ly.n AS last_year,
       r.weeks AS recent, r.last8, r.last8_year_before, r.first_seen, r.history, f.tracking
FROM forecast f
LEFT JOIN recent r USING (level, category, scope_level, scope_name)
LEFT JOIN actual ly
  ON ly.level = f.level AND ly.category = f.category AND ly.scope_level = f.scope_level AND ly.scope_name = f.scope_name
 AND ly.week_start = f.week_start - INTERVAL 364 DAY
ORDER BY f.scope_level, f.scope_name, f.level, f.category, f.k;
