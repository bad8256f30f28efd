-- Orders with what the later stages derived for them: resolved place (polygons beat the names given in the
-- export), repeat and scope flags. Every analytical query reads orders through this view.
CREATE OR REPLACE VIEW orders_enriched AS
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
FROM orders o
LEFT JOIN order_places p USING (order_id)
LEFT JOIN order_flags  f USING (order_id);
