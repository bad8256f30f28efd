-- Data-quality facts about last month's orders: how many rows were rejected at load, how many orders could not be
-- placed or have no handling department, and how fresh the data is. (Places are semi-joined to the month's orders
-- rather than read through orders_enriched: on a large store that avoids hashing every order's place.)
WITH month_orders AS (
  SELECT order_id, dept
  FROM orders
  WHERE created_at >= $last_start::DATE AND created_at < $as_of::DATE
),
placed AS (
  SELECT p.order_id FROM order_places p SEMI JOIN month_orders USING (order_id) WHERE p.match <> 'none'
)
SELECT
  (SELECT count(*) FROM month_orders)                                                         AS n,
  (SELECT count(*) FROM month_orders) - (SELECT count(DISTINCT order_id) FROM placed)        AS unplaced,
  (SELECT count(*) FROM month_orders WHERE dept IS NULL OR trim(dept) = '')                   AS no_dept,
  (SELECT strftime(max(created_at), '%Y-%m-%d') FROM orders WHERE created_at < $as_of::DATE) AS last_order_day,
  (SELECT count(*) FROM quarantine WHERE quarantined_at >= $last_start::DATE AND quarantined_at < $as_of::DATE) AS quarantined;
