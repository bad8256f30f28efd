-- Series worth testing: enough orders in the recent weeks to say anything. Each comes with its sparse weekly
-- counts. detect_weekly holds only the weeks the tests read: the last 28 (recent windows and the short-history
-- fallback) and, in each earlier year, weeks 52k−3 … 52k+14 (the same weeks ±3 of the last 12).
-- Each (week, count) pair travels packed in one DOUBLE (exact below 2^53), week × 2^32 + count: two separate list() aggregates
-- are not promised to be aligned, and list(… ORDER BY …) buffers every group's rows, which runs a 60,000-series
-- city out of memory. The names are joined once per series, after the counts are grouped by number.
WITH active AS (
  SELECT cat_id, place_id, list(((w::BIGINT << 32) + y)::DOUBLE) AS wy
  FROM detect_weekly
  GROUP BY ALL
  HAVING coalesce(sum(y) FILTER (WHERE w < $recent_weeks), 0) >= $min_recent
)
SELECT c.category, c.level::INTEGER AS level, c.parent, c.cat1, p.scope_level, p.scope_name, p.district, a.wy
FROM active a
JOIN detect_cats c USING (cat_id)
JOIN detect_places p USING (place_id);
