-- Repeat rates per month × category × street of the orders rate_orders.sql or rate_orders_all.sql chose.
INSERT INTO repeat_rates (month, cat1, cat2, district, street, n, n_repeat, n_caller, n_out_of_scope, rate)
SELECT month, cat1, cat2, district, street,
       count(*)                                        AS n,
       count(*) FILTER (WHERE is_repeat)               AS n_repeat,
       count(*) FILTER (WHERE repeat_kind = 'caller')  AS n_caller,
       count(*) FILTER (WHERE out_of_scope)            AS n_out_of_scope,
       count(*) FILTER (WHERE is_repeat) / count(*)    AS rate
FROM tag_rate_orders
GROUP BY ALL;
