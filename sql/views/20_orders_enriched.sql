-- Orders with what the later stages derived for them: resolved place (orders_placed), repeat and scope flags.
-- Every analytical query reads orders through this view, or through orders_placed when it needs no flags.
CREATE OR REPLACE VIEW orders_enriched AS
SELECT
  o.*,
  COALESCE(f.is_repeat, false)       AS is_repeat,
  f.repeat_kind,
  f.repeat_of,
  COALESCE(f.out_of_scope, false)    AS out_of_scope,
  f.scope_rule
FROM orders_placed o
LEFT JOIN order_flags f USING (order_id);
