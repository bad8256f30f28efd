-- Weekly counts of a category per H3 cell around an action (as effect_street_weeks.sql, from the orders).
SELECT cell AS unit,
       CASE WHEN created_at < $pre_end::DATE THEN 'pre' WHEN created_at < $action_start::DATE THEN 'trigger'
            ELSE 'post' END AS phase,
       CASE WHEN created_at < $pre_end::DATE THEN -1 - (datediff('day', created_at::DATE, $pre_end::DATE) - 1) // 7
            WHEN created_at < $action_start::DATE
              THEN -1 - (datediff('day', created_at::DATE, $action_start::DATE) - 1) // 7
            ELSE datediff('day', $action_end::DATE, created_at::DATE) // 7 END AS week,
       count(*)::INTEGER AS n,
       count(*) FILTER (WHERE is_repeat)::INTEGER AS n_repeat
-- the windows' orders only (views/30_orders_enriched_in.sql): through orders_enriched every order's flags are hashed
FROM orders_enriched_in($pre_start::DATE, $post_end::DATE, category := $category)
WHERE cell IS NOT NULL
  AND NOT out_of_scope
  AND (created_at < $action_start::DATE OR created_at >= $action_end::DATE)
GROUP BY ALL
ORDER BY unit, week
