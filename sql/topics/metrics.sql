-- Per category (level 1 and level 2) and for the whole city: the in-scope volume of the months a topic is
-- judged on. Months: last = M-1, prev = M-2, ly = M-13 (last month a year earlier), ly_next = M-12 (the coming
-- month a year earlier, for the seasonal-naive wave ahead); ly_prev → ly_pair = last year's pair of windows whose
-- change is the season taken out of this year's 环比 ($pair_*: M-14 → M-13, or the same days moved to sit at the same
-- distance from the Spring Festival, src/topics/month.ts seasonPair; each window already cut to the days counted); recent = the last 14 days of M-1 (the level a coming wave must rise above, when the month itself
-- rose midway). Out-of-scope orders (负面清单) are not counted. $cut_day: when the data stops inside last month (on
-- its day $cut_day), last month, the month before and the same months a year earlier count only their days up to
-- that day of the month, so every per-day rate compares like with like; $recent_end is where the data ends.
CREATE OR REPLACE TEMP TABLE topic_metrics AS
WITH in_scope AS (
  SELECT
    day, cat1, cat2,
    n - n_out_of_scope AS n,
    n_out_of_scope, n_repeat, n_unsatisfied, n_closed
  FROM daily_counts
  WHERE day >= least($ly_prev_start::DATE, $pair_prev_start::DATE) AND day < $as_of::DATE
),
by_period AS (
  SELECT
    CASE WHEN GROUPING(cat1) = 1 THEN 0 WHEN GROUPING(cat2) = 1 THEN 1 ELSE 2 END        AS level,
    cat1,
    cat2,
    coalesce(sum(n) FILTER (WHERE day >= $last_start::DATE AND dayofmonth(day) <= $cut_day), 0) AS n_last,
    coalesce(sum(n) FILTER (WHERE day >= $prev_start::DATE AND day < $last_start::DATE AND dayofmonth(day) <= $cut_day), 0) AS n_prev,
    coalesce(sum(n) FILTER (WHERE day >= $ly_start::DATE AND day < $ly_end::DATE AND dayofmonth(day) <= $cut_day), 0) AS n_ly,
    coalesce(sum(n) FILTER (WHERE day >= $ly_end::DATE AND day < $ly_next_end::DATE), 0)     AS n_ly_next,
    coalesce(sum(n) FILTER (WHERE day >= $pair_prev_start::DATE AND day < $pair_prev_end::DATE), 0) AS n_ly_prev,
    coalesce(sum(n) FILTER (WHERE day >= $pair_last_start::DATE AND day < $pair_last_end::DATE), 0) AS n_ly_pair,
    coalesce(sum(n) FILTER (WHERE day >= $recent_end::DATE - 14 AND day < $recent_end::DATE), 0) AS n_recent,
    coalesce(sum(n_out_of_scope) FILTER (WHERE day >= $last_start::DATE), 0)               AS n_oos_last,
    coalesce(sum(n_repeat) FILTER (WHERE day >= $last_start::DATE), 0)                     AS n_repeat_last,
    coalesce(sum(n_unsatisfied) FILTER (WHERE day >= $last_start::DATE), 0)                AS n_unsat_last,
    coalesce(sum(n_closed) FILTER (WHERE day >= $last_start::DATE), 0)                     AS n_closed_last
  FROM in_scope
  GROUP BY GROUPING SETS ((), (cat1), (cat1, cat2))
)
SELECT
  level,
  CASE level WHEN 0 THEN NULL WHEN 1 THEN cat1 ELSE cat2 END AS category,
  cat1,
  n_last, n_prev, n_ly, n_ly_next, n_ly_prev, n_ly_pair, n_recent, n_oos_last, n_repeat_last, n_unsat_last, n_closed_last
FROM by_period
-- a one-level path has cat2 = cat1: its level-2 row would only repeat the level-1 row
WHERE level < 2 OR cat2 <> cat1;
