-- What the orders export holds: the orders before $before and the year/month partitions they fill.
SELECT count(*) AS orders, count(DISTINCT strftime(created_at, '%Y-%m')) AS partitions
FROM orders
WHERE created_at < $before::TIMESTAMP;
