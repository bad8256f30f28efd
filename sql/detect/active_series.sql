-- Series worth testing: enough orders in the recent weeks to say anything. Each comes with its sparse weekly
-- counts as two aligned lists (week index, count), newest first — only the weeks the tests read: the last 28
-- (recent windows and the short-history fallback) and, in each earlier year, weeks 52k−3 … 52k+14 (the same
-- weeks ±3 of the last 12).
WITH activity AS (
  SELECT category, level, cat1, scope_level, scope_name, district,
         sum(y) FILTER (WHERE w < $recent_weeks) AS recent
  FROM detect_weekly
  GROUP BY ALL
)
SELECT
  s.category, s.level, s.cat1, s.scope_level, s.scope_name, s.district,
  list(d.w ORDER BY d.w) AS ws,
  list(d.y ORDER BY d.w) AS ys
FROM activity s
JOIN detect_weekly d USING (category, level, cat1, scope_level, scope_name)
WHERE s.recent >= $min_recent
  AND d.district IS NOT DISTINCT FROM s.district
  AND (d.w < 28 OR d.w % 52 >= 49 OR d.w % 52 <= 14)
GROUP BY ALL;
