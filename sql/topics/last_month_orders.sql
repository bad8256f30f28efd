-- Last month's in-scope orders, read once: root causes, hotspot concentration, handling departments and typical
-- orders all look at this month only.
-- Same columns and rules as the orders_enriched view (resolved district/street, scope flag), but its places and
-- flags are semi-joined to the month's orders first: through the view DuckDB builds a hash table over every
-- order's flags (10M rows on a large store, ~12 s); this way it probes them against one month's orders (~1 s).
CREATE OR REPLACE TEMP TABLE topic_orders AS
WITH month_orders AS (
  SELECT order_id, cat1, cat2, created_at, content, dept, district, street
  FROM orders
  WHERE created_at >= $last_start::DATE AND created_at < $as_of::DATE
),
month_places AS (
  SELECT p.order_id, p.cell, p.district, p.street FROM order_places p SEMI JOIN month_orders USING (order_id)
),
month_flags AS (
  SELECT f.order_id, f.out_of_scope FROM order_flags f SEMI JOIN month_orders USING (order_id)
)
SELECT
  o.order_id, o.cat1, o.cat2, o.created_at, o.content, o.dept, p.cell,
  coalesce(p.district, o.district) AS district,
  coalesce(p.street, o.street)     AS street
FROM month_orders o
LEFT JOIN month_places p USING (order_id)
LEFT JOIN month_flags f USING (order_id)
WHERE NOT coalesce(f.out_of_scope, false);
