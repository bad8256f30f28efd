-- The evidence a grid worker needs for each hotspot item of the as-of (assign_spots, hotspot_spots.sql): orders in
-- the hotspot's window, in the window of the same length before it, repeats, the latest orders as typical examples.
WITH spots AS (
  SELECT * FROM assign_spots
),
-- The places of the spots' cells in the read window: the cell test comes first, so only those places are probed
-- against the window's orders (through orders_enriched or the range macro, all 10M places of a big city would be).
-- $since: the earliest window start of the spots less one window length, computed first and passed as a constant,
-- because a bound computed inside this query is not pushed into the scan of orders: DuckDB would join all orders
-- with their places and flags before filtering (43.7 s against 2.3 s on a 10M-order store).
spot_places AS MATERIALIZED (
  SELECT order_id, cell, grid_id, district, street
  FROM order_places
  WHERE cell IN (SELECT cell FROM spots)
    AND order_id IN (SELECT order_id FROM orders WHERE created_at >= $since::DATE AND created_at < $as_of::DATE)
),
-- the window's orders in the spots' cells, in scope or not, as orders_enriched would show them
spot_orders AS MATERIALIZED (
  -- a department named as topics names it (sql/topics/depts.sql): blanks and line breaks of a multi-line cell made one
  SELECT o.order_id, o.created_at, o.cat1, o.cat2, o.content, o.address,
         nullif(trim(regexp_replace(o.dept, '\s+', ' ', 'g')), '') AS dept,
         COALESCE(f.is_repeat, false) AS is_repeat, COALESCE(f.out_of_scope, false) AS out_of_scope,
         p.cell, p.grid_id, COALESCE(p.district, o.district) AS district_r, COALESCE(p.street, o.street) AS street_r
  FROM orders o
  JOIN spot_places p USING (order_id)
  LEFT JOIN (
    SELECT order_id, is_repeat, out_of_scope FROM order_flags WHERE order_id IN (SELECT order_id FROM spot_places)
  ) f USING (order_id)
  WHERE o.created_at >= $since::DATE AND o.created_at < $as_of::DATE
),
recent_orders AS (
  SELECT order_id, created_at, cat1, cat2, content, address, is_repeat, cell, grid_id, district_r, street_r, dept
  FROM spot_orders
  WHERE NOT out_of_scope
),
-- Where each order points to, as a place a grid worker can walk to (sql/assign/place_root_macro.sql)
order_roots AS (
  SELECT order_id, assign_place_root(address) AS root FROM recent_orders
),
-- A hotspot of all categories together is handed out as the level-2 category most of its orders are about.
dominant_category AS (
  -- ties by name: a re-run hands out the same category (arg_max picked either of two equal ones)
  SELECT cell, first(cat2 ORDER BY n DESC, cat2) AS cat2
  FROM (
    SELECT o.cell, o.cat2, count(*) AS n
    FROM recent_orders o JOIN spots s ON s.cell = o.cell AND s.category IS NULL
    WHERE o.created_at >= s.window_start
    GROUP BY ALL
  )
  GROUP BY cell
),
spot_items AS (
  SELECT s.cell, COALESCE(s.category, d.cat2) AS category,
         max(s.count) AS count, max(s.z) AS z, list_sort(list_distinct(flatten(list(s.kinds)))) AS kinds,
         bool_or(s.category IS NULL) AS from_all_categories,
         any_value(s.grid_id) AS grid_id, any_value(s.district) AS district, any_value(s.street) AS street,
         any_value(s.lon) AS lon, any_value(s.lat) AS lat, min(s.window_start) AS window_start,
         bool_or(s.above_usual) AS above_usual, max(s.strength) AS strength
  FROM spots s LEFT JOIN dominant_category d USING (cell)
  WHERE COALESCE(s.category, d.cat2) IS NOT NULL
  GROUP BY ALL
),
-- the most frequent department and place among each item's orders in its window (ties by name, so a re-run picks
-- the same): the department leads when the unit mapping names none this city has; the place says where in the cell
-- to go (the largest group of its orders by place root), so two items of one category in one grid can be told apart
item_modes AS (
  SELECT cell, category, field, first(value ORDER BY n DESC, value) AS value, max(n) AS n
  FROM (
    SELECT cell, category, field, value, count(*) AS n
    FROM (
      SELECT i.cell, i.category, o.dept, nullif(r.root, '') AS place
      FROM spot_items i
      JOIN recent_orders o ON o.cell = i.cell AND (o.cat2 = i.category OR o.cat1 = i.category) AND o.created_at >= i.window_start
      JOIN order_roots r USING (order_id)
    ) UNPIVOT (value FOR field IN (dept, place))
    GROUP BY ALL
  )
  GROUP BY ALL
),
item_depts AS (SELECT cell, category, value AS dept FROM item_modes WHERE field = 'dept'),
item_addresses AS (SELECT cell, category, value AS address, n AS address_orders FROM item_modes WHERE field = 'place'),
evidence AS (
  SELECT i.cell, i.category,
         count(*) FILTER (WHERE o.created_at >= i.window_start) AS orders,
         count(*) FILTER (WHERE o.created_at <  i.window_start AND o.created_at >= i.window_start - CAST($as_of::DATE - i.window_start AS INTEGER)) AS orders_prev,
         count(*) FILTER (WHERE o.created_at >= i.window_start AND o.is_repeat) AS repeats,
         mode(o.grid_id) AS grid_id, mode(o.district_r) AS district, mode(o.street_r) AS street,
         list({'order_id': o.order_id, 'day': strftime(o.created_at, '%Y-%m-%d'), 'content': o.content} ORDER BY o.created_at DESC, o.order_id)
           FILTER (WHERE o.created_at >= i.window_start) AS latest
  FROM spot_items i
  JOIN recent_orders o ON o.cell = i.cell AND (o.cat2 = i.category OR o.cat1 = i.category)
  GROUP BY i.cell, i.category
),
-- when each spot was last handed out before this as-of
earlier_items AS (
  SELECT cell, category, max(as_of) AS last_as_of
  FROM assignments
  WHERE source = 'hotspot' AND as_of < $as_of::DATE
  GROUP BY cell, category
),
-- orders outside public governance (负面清单) in each spot's window, of its category (all categories for an
-- all-categories spot), to weigh against the in-scope ones
out_of_scope_orders AS (
  SELECT i.cell, i.category, count(*) AS n
  FROM spot_items i
  JOIN spot_orders o ON o.cell = i.cell AND o.created_at >= i.window_start
    AND (i.from_all_categories OR o.cat2 = i.category OR o.cat1 = i.category)
  WHERE o.out_of_scope
  GROUP BY i.cell, i.category
),
cell_in_scope AS (
  SELECT i.cell, count(*) AS n
  FROM spot_items i JOIN recent_orders o ON o.cell = i.cell AND o.created_at >= i.window_start
  WHERE i.from_all_categories
  GROUP BY i.cell
),
candidates AS (
  SELECT 'H-' || substr(md5(i.cell || '|' || i.category || '|' || CAST($as_of::DATE AS VARCHAR)), 1, 12) AS item_id,
         i.cell, i.category, i.kinds, i.z, i.count AS hotspot_count, i.lon, i.lat, i.from_all_categories,
         CAST(i.window_start AS VARCHAR) AS window_start,
         COALESCE(i.grid_id, e.grid_id) AS grid_id,
         COALESCE(i.district, e.district) AS district,
         COALESCE(i.street, e.street) AS street,
         dd.dept,
         COALESCE(e.orders, 0) AS orders, COALESCE(e.orders_prev, 0) AS orders_prev, COALESCE(e.repeats, 0) AS repeats,
         COALESCE(e.latest[1:$typical::INTEGER], []) AS typical,
         a.address, COALESCE(a.address_orders, 0) AS address_orders,
         i.strength,
         -- at its usual level: neither the scan nor Gi*'s own-level test found it above (hotspot_spots.sql)
         NOT i.above_usual AS chronic,
         -- a chronic cell (persistent and nothing else: not above its own usual level, not new) handed out within
         -- the last $persistent_days days is held back unless it grew clearly since the window before (the two counts
         -- compared as Poisson counts, z > 2: one order more than last time is noise, and about half of all steady
         -- cells show it). The same busy cells month after month buried the new heat in grid workers' lists.
         (chronic AND $persistent_days::INTEGER > 0
          AND ei.last_as_of >= $as_of::DATE - $persistent_days::INTEGER
          AND COALESCE(e.orders, 0) - COALESCE(e.orders_prev, 0)
              <= 2 * sqrt(COALESCE(e.orders, 0) + COALESCE(e.orders_prev, 0))) IS TRUE AS held
  FROM spot_items i
  LEFT JOIN evidence e USING (cell, category)
  LEFT JOIN item_depts dd USING (cell, category)
  LEFT JOIN item_addresses a USING (cell, category)
  LEFT JOIN earlier_items ei USING (cell, category)
  LEFT JOIN cell_in_scope c USING (cell)
  LEFT JOIN out_of_scope_orders x USING (cell, category)
  -- the hotspot stage counts every order; an item is for public governance only: a cell whose heat is mostly orders
  -- outside it (负面清单: neighbours' and shops' private disputes) is no job for a grid worker (on the demo city this
  -- keeps six 民事纠纷/商业纠纷 cells, every order of them out of scope, off 市司法局's list)
  WHERE CASE WHEN i.from_all_categories THEN COALESCE(c.n, 0) ELSE COALESCE(e.orders, 0) END >= COALESCE(x.n, 0)
    AND CASE WHEN i.from_all_categories THEN COALESCE(c.n, 0) ELSE COALESCE(e.orders, 0) END > 0
)
-- held_total counts the held over all candidates (the cap may cut the held rows themselves). Held spots come last
-- (the caller drops them), then chronic cells after every other kind: the cap ($max_items) must never cut new or
-- above-usual heat in favour of a busy cell at its usual level, whatever its z.
SELECT *, count(*) FILTER (WHERE held) OVER () AS held_total
FROM candidates
ORDER BY held, chronic, strength DESC NULLS LAST, z DESC, hotspot_count DESC, cell, category
LIMIT $max_items
