-- The departments this city's orders of the last year name: the embedded unit mapping is kept only where a unit
-- it names is one of them (or the role a name ends with: 区排水管理所 for 中山区排水管理所).
SELECT DISTINCT dept
FROM orders
WHERE dept IS NOT NULL AND created_at >= $as_of::DATE - INTERVAL 1 YEAR AND created_at < $as_of::DATE;
