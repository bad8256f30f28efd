-- The 调度 topics assigned so far, as of the report: per topic month, the category, who chose it (leadership, or the
-- rank-1 candidate taken automatically), how many items at each level, the deadline, and how many are still open
-- and past their deadline. The report's own month first.
SELECT
  month,
  category,
  any_value(evidence->>'selected_by')                                             AS selected_by,
  count(*)::INTEGER                                                               AS items,
  count(*) FILTER (WHERE level = 'city')::INTEGER                                 AS city_items,
  count(*) FILTER (WHERE level = 'street')::INTEGER                               AS street_items,
  count(*) FILTER (WHERE level = 'grid')::INTEGER                                 AS grid_items,
  -- a deadline at midnight is the end of the day before it
  strftime(max(deadline) - INTERVAL 1 SECOND, '%Y-%m-%d')                         AS deadline,
  count(*) FILTER (WHERE status NOT IN ('办结', '核验'))::INTEGER                  AS open_items,
  count(*) FILTER (WHERE status NOT IN ('办结', '核验') AND deadline < $as_of::TIMESTAMP)::INTEGER AS overdue_items
FROM assignments
WHERE source = 'topic' AND month <= $month AND as_of <= $as_of::DATE
GROUP BY month, category
ORDER BY month = $month DESC, month DESC, category;
