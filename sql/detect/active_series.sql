-- Series worth testing: enough orders in the recent weeks to say anything. Each comes with its sparse weekly
-- counts. detect_weekly holds only the weeks the tests read: the last 28 (recent windows and the short-history
-- fallback) and, in each earlier year, weeks 52k−3 … 52k+14 (the same weeks ±3 of the last 12).
-- Each (week, count) pair travels packed in one BIGINT, week × 2^32 + count: two separate list() aggregates
-- are not promised to be aligned, and list(… ORDER BY …) buffers every group's rows, which runs a 60,000-series
-- city out of memory.
SELECT
  category, level, parent, cat1, scope_level, scope_name, district,
  list((w::BIGINT << 32) + y) AS wy
FROM detect_weekly
GROUP BY ALL
HAVING coalesce(sum(y) FILTER (WHERE w < $recent_weeks), 0) >= $min_recent;
