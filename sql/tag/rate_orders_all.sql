-- rate_orders.sql when every stored order was a target (replace_all.sql ran): every month is recomputed, and each
-- order's flags are still in tag_input / tag_scope, joined to orders by row (orow) rather than order_flags by the
-- order_id strings (a 1M-string hash join over a table this transaction just wrote, which DuckDB scans on one
-- thread). The same rows as rate_orders.sql in that case (test/tag/stage.test.ts).
DELETE FROM repeat_rates;

CREATE OR REPLACE TEMP VIEW tag_rate_orders AS
SELECT date_trunc('month', o.created_at)::DATE AS month, o.cat1, o.cat2, o.district, o.street,
       i.is_repeat, i.repeat_kind, s.rn IS NOT NULL AS out_of_scope
FROM orders o
JOIN tag_input      i ON i.orow = o.rowid
LEFT JOIN tag_scope s ON s.rn = i.rn;
