-- Repeat rates when every stored order was a target (clear_all.sql ran): every month is recomputed, and each
-- order's flags are still in tag_input / tag_scope, joined to orders by row (orow) rather than order_flags by the
-- order_id strings (a 1M-string hash join over a table this transaction just wrote, which DuckDB scans on one
-- thread). Same rows as repeat_rates.sql gives in that case (test/tag/stage.test.ts).
DELETE FROM repeat_rates;

INSERT INTO repeat_rates (month, cat1, cat2, district, street, n, n_repeat, n_caller, n_out_of_scope, rate)
WITH month_orders AS (
  SELECT date_trunc('month', o.created_at)::DATE AS month, o.cat1, o.cat2, o.district, o.street,
         i.is_repeat, i.repeat_kind, s.rn IS NOT NULL AS out_of_scope
  FROM orders o
  JOIN tag_input      i ON i.orow = o.rowid
  LEFT JOIN tag_scope s ON s.rn = i.rn
)
SELECT month, cat1, cat2, district, street,
       count(*)                                        AS n,
       count(*) FILTER (WHERE is_repeat)               AS n_repeat,
       count(*) FILTER (WHERE repeat_kind = 'caller')  AS n_caller,
       count(*) FILTER (WHERE out_of_scope)            AS n_out_of_scope,
       count(*) FILTER (WHERE is_repeat) / count(*)    AS rate
FROM month_orders
GROUP BY ALL;
