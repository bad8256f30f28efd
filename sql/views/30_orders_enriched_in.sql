-- orders_enriched for the orders created in [lo, hi) only: `FROM orders_enriched_in($from, $to)`, and of one category
-- (level 1 or 2) with `category := $category`. Through the view, a
-- query bounded by date still joins its orders to every order's flags (and often every place): DuckDB builds the
-- hash table on the flags (10M rows on a large store) because it cannot tell that few orders pass the date filter,
-- so memory and time grow with the store, not with the days read. Here the bounds reach the orders scan as
-- constants, places and flags are semi-joined to those orders first (the hash table holds the range's order ids),
-- and only then joined back. Same columns as orders_enriched.
-- The range is written out three times rather than shared as a CTE: a shared CTE is materialized with every column
-- of every order in the range, and a query's own filters no longer reach the orders scan. The category is a parameter
-- because a query's own category filter reaches the orders scan but not the semi-joins: a year of one category's
-- places is a small hash table, a year of every category's is not.
CREATE OR REPLACE MACRO orders_enriched_in(lo, hi, category := NULL) AS TABLE
SELECT
  o.*,
  COALESCE(p.district,  o.district)  AS district_r,
  COALESCE(p.street,    o.street)    AS street_r,
  COALESCE(p.community, o.community) AS community_r,
  p.cell,
  p.grid_id,
  COALESCE(p.match, 'none')          AS place_match,
  COALESCE(f.is_repeat, false)       AS is_repeat,
  f.repeat_kind,
  f.repeat_of,
  COALESCE(f.out_of_scope, false)    AS out_of_scope,
  f.scope_rule
FROM (SELECT * FROM orders WHERE created_at >= lo AND created_at < hi AND (category IS NULL OR cat2 = category OR cat1 = category)) o
LEFT JOIN (
  SELECT order_id, district, street, community, cell, grid_id, match
  FROM order_places
  WHERE order_id IN (SELECT order_id FROM orders WHERE created_at >= lo AND created_at < hi AND (category IS NULL OR cat2 = category OR cat1 = category))
) p USING (order_id)
LEFT JOIN (
  SELECT order_id, is_repeat, repeat_kind, repeat_of, out_of_scope, scope_rule
  FROM order_flags
  WHERE order_id IN (SELECT order_id FROM orders WHERE created_at >= lo AND created_at < hi AND (category IS NULL OR cat2 = category OR cat1 = category))
) f USING (order_id);
