-- The city's month at a glance: in-scope volume of last month against the month before and a year earlier, and
-- the rates leadership watches. Out-of-scope orders are counted separately. $cut_day: when the data stops inside
-- last month, the three months are counted over the same first days (store/data-end.ts).
SELECT
  coalesce(sum(n - n_out_of_scope) FILTER (WHERE day >= $last_start::DATE AND dayofmonth(day) <= $cut_day), 0) AS n_last,
  coalesce(sum(n - n_out_of_scope) FILTER (WHERE day >= $prev_start::DATE AND day < $last_start::DATE AND dayofmonth(day) <= $cut_day), 0) AS n_prev,
  coalesce(sum(n - n_out_of_scope) FILTER (WHERE day >= $ly_start::DATE AND day < $ly_end::DATE AND dayofmonth(day) <= $cut_day), 0) AS n_ly,
  coalesce(sum(n_out_of_scope) FILTER (WHERE day >= $last_start::DATE), 0)                                AS n_oos,
  coalesce(sum(n_repeat) FILTER (WHERE day >= $last_start::DATE), 0)                                      AS n_repeat,
  coalesce(sum(n_unsatisfied) FILTER (WHERE day >= $last_start::DATE), 0)                                 AS n_unsat,
  coalesce(sum(n_closed) FILTER (WHERE day >= $last_start::DATE), 0)                                      AS n_closed,
  min(day)::VARCHAR                                                                                      AS first_day
FROM daily_counts
WHERE day < $as_of::DATE;
