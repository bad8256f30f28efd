-- Orders with the place the spatial stage resolved for them (polygons beat the names given in the export). Queries
-- that need no repeat or scope flags read this view rather than orders_enriched: a LEFT JOIN the query does not use
-- is still executed (order_flags has no unique key DuckDB could use to drop it), and on a 10M-order store joining
-- the flags costs several seconds per read. Views are created in file-name order; orders_enriched builds on this one.
CREATE OR REPLACE VIEW orders_placed AS
SELECT
  o.*,
  COALESCE(p.district,  o.district)  AS district_r,
  COALESCE(p.street,    o.street)    AS street_r,
  COALESCE(p.community, o.community) AS community_r,
  p.cell,
  p.grid_id,
  COALESCE(p.match, 'none')          AS place_match
FROM orders o
LEFT JOIN order_places p USING (order_id);
