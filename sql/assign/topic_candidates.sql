-- Assignment items for the month's 调度 topic: every grid and street where the category was frequent in the
-- month before, and one city-wide item for the lead unit. Counts of the month before that show the trend. Per area,
-- the department that handled most of its orders and whether the topic's lead ($lead) handled any: a city-wide
-- topic led by one district's bureau is not led by it in another district's streets.
WITH topic_orders AS (
  SELECT order_id, created_at, content, address, is_repeat, grid_id, district_r AS district, street_r AS street,
         nullif(trim(regexp_replace(dept, '\s+', ' ', 'g')), '') AS dept,  -- as topics names it (topics/depts.sql)
         created_at >= $start::DATE AS in_window
  -- the two months' orders only (views/30_orders_enriched_in.sql): the view would hash every order's flags
  FROM orders_enriched_in($prev_start::DATE, $end::DATE, category := $category)
  WHERE NOT out_of_scope
),
-- the department that handled most of an area's orders of the month (ties by name, so a re-run names the same one)
grid_depts AS (
  SELECT grid_id, first(dept ORDER BY n DESC, dept) AS dept
  FROM (SELECT grid_id, dept, count(*) AS n FROM topic_orders WHERE in_window AND dept IS NOT NULL AND grid_id IS NOT NULL GROUP BY ALL)
  GROUP BY grid_id
),
street_depts AS (
  SELECT district, street, first(dept ORDER BY n DESC, dept) AS dept
  FROM (SELECT district, street, dept, count(*) AS n FROM topic_orders WHERE in_window AND dept IS NOT NULL AND street IS NOT NULL GROUP BY ALL)
  GROUP BY district, street
),
-- where an area's orders of the month point to (位置): the largest group by place root (sql/assign/place_root_macro.sql;
-- ties by name), as a hotspot item names it
order_roots AS (
  SELECT grid_id, district, street, nullif(assign_place_root(address), '') AS root FROM topic_orders WHERE in_window
),
grid_places AS (
  SELECT grid_id, first(root ORDER BY n DESC, root) AS address, max(n) AS address_orders
  FROM (SELECT grid_id, root, count(*) AS n FROM order_roots WHERE root IS NOT NULL AND grid_id IS NOT NULL GROUP BY ALL)
  GROUP BY grid_id
),
street_places AS (
  SELECT district, street, first(root ORDER BY n DESC, root) AS address, max(n) AS address_orders
  FROM (SELECT district, street, root, count(*) AS n FROM order_roots WHERE root IS NOT NULL AND street IS NOT NULL GROUP BY ALL)
  GROUP BY district, street
),
by_grid AS (
  SELECT 'grid' AS level, grid_id, mode(district) AS district, mode(street) AS street,
         coalesce(bool_or(dept = $lead) FILTER (WHERE in_window), false) AS lead_handled,
         count(*) FILTER (WHERE in_window) AS orders,
         count(*) FILTER (WHERE NOT in_window) AS orders_prev,
         count(*) FILTER (WHERE in_window AND is_repeat) AS repeats,
         list({'order_id': order_id, 'day': strftime(created_at, '%Y-%m-%d'), 'content': content} ORDER BY is_repeat DESC, created_at DESC, order_id)
           FILTER (WHERE in_window) AS latest
  FROM topic_orders
  WHERE grid_id IS NOT NULL
  GROUP BY grid_id
  HAVING count(*) FILTER (WHERE in_window) >= $min_grid
  ORDER BY orders DESC, grid_id
  LIMIT $max_grid
),
by_street AS (
  SELECT 'street' AS level, NULL::VARCHAR AS grid_id, district, street,
         coalesce(bool_or(dept = $lead) FILTER (WHERE in_window), false) AS lead_handled,
         count(*) FILTER (WHERE in_window) AS orders,
         count(*) FILTER (WHERE NOT in_window) AS orders_prev,
         count(*) FILTER (WHERE in_window AND is_repeat) AS repeats,
         list({'order_id': order_id, 'day': strftime(created_at, '%Y-%m-%d'), 'content': content} ORDER BY is_repeat DESC, created_at DESC, order_id)
           FILTER (WHERE in_window) AS latest
  FROM topic_orders
  WHERE street IS NOT NULL
  GROUP BY district, street
  HAVING count(*) FILTER (WHERE in_window) >= $min_street
),
city AS (
  SELECT 'city' AS level, NULL::VARCHAR AS grid_id, NULL::VARCHAR AS district, NULL::VARCHAR AS street,
         true AS lead_handled,
         count(*) FILTER (WHERE in_window) AS orders,
         count(*) FILTER (WHERE NOT in_window) AS orders_prev,
         count(*) FILTER (WHERE in_window AND is_repeat) AS repeats,
         list({'order_id': order_id, 'day': strftime(created_at, '%Y-%m-%d'), 'content': content} ORDER BY is_repeat DESC, created_at DESC, order_id)
           FILTER (WHERE in_window) AS latest
  FROM topic_orders
),
areas AS (
  SELECT g.*, d.dept, pl.address, pl.address_orders
  FROM by_grid g LEFT JOIN grid_depts d USING (grid_id) LEFT JOIN grid_places pl USING (grid_id)
  UNION ALL BY NAME
  SELECT s.*, d.dept, pl.address, pl.address_orders
  FROM by_street s LEFT JOIN street_depts d USING (district, street) LEFT JOIN street_places pl USING (district, street)
  UNION ALL BY NAME
  SELECT *, NULL::VARCHAR AS dept, NULL::VARCHAR AS address, NULL::BIGINT AS address_orders FROM city WHERE orders > 0
)
SELECT 'T-' || substr(md5($month || '|' || $category || '|' || level || '|' || COALESCE(grid_id, '') || '|' || COALESCE(district, '') || '|' || COALESCE(street, '')), 1, 12) AS item_id,
       level, grid_id, district, street, dept, lead_handled, orders, orders_prev, repeats, address, address_orders,
       COALESCE(latest[1:$typical::INTEGER], []) AS typical
FROM areas
ORDER BY CASE level WHEN 'city' THEN 0 WHEN 'street' THEN 1 ELSE 2 END, orders DESC, item_id
