-- The orders whose repeat rates are recomputed, with their flags: every order of each month that holds a target
-- (tag_months, from repeats.sql), flags as just written to order_flags. repeat_rates.sql aggregates them.
DELETE FROM repeat_rates WHERE month IN (SELECT month FROM tag_months);

CREATE OR REPLACE TEMP VIEW tag_rate_orders AS
SELECT date_trunc('month', o.created_at)::DATE AS month, o.cat1, o.cat2, o.district, o.street,
       f.is_repeat, f.repeat_kind, f.out_of_scope
FROM orders o
JOIN order_flags f USING (order_id)
WHERE date_trunc('month', o.created_at)::DATE IN (SELECT month FROM tag_months);
