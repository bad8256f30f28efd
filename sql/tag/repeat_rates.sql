-- Repeat rates for the months that hold a target order (tag_months, from repeats.sql), recomputed whole.

DELETE FROM repeat_rates WHERE month IN (SELECT month FROM tag_months);

INSERT INTO repeat_rates (month, cat1, cat2, district, street, n, n_repeat, n_caller, n_out_of_scope, rate)
WITH month_orders AS (
  SELECT date_trunc('month', o.created_at)::DATE AS month, o.cat1, o.cat2, o.district, o.street,
         f.is_repeat, f.repeat_kind, f.out_of_scope
  FROM orders o
  JOIN order_flags f USING (order_id)
  WHERE date_trunc('month', o.created_at)::DATE IN (SELECT month FROM tag_months)
)
SELECT month, cat1, cat2, district, street,
       count(*)                                        AS n,
       count(*) FILTER (WHERE is_repeat)               AS n_repeat,
       count(*) FILTER (WHERE repeat_kind = 'caller')  AS n_caller,
       count(*) FILTER (WHERE out_of_scope)            AS n_out_of_scope,
       count(*) FILTER (WHERE is_repeat) / count(*)    AS rate
FROM month_orders
GROUP BY ALL;
