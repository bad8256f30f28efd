-- The first, cheap pass over a file: its order ids only. The file can take the direct way (insert_new.sql) when no
-- order_id occurs twice in it (`repeated`) and none is in the store already (`known`); otherwise classify.sql
-- decides row by row. (Rows that will fail validation count here too: a repeat among them only costs the fast way.)
-- The closed_at values are counted, not parsed: a load that writes every row compares the count with the closed_at
-- it stored, and parses them again (closed_counts.sql) only when some were dropped.
WITH ids AS MATERIALIZED (
  SELECT order_id, closed_given, category_gap FROM ingest_typed
)
SELECT
  count(*)                                                                   AS rows,
  count(order_id) - count(DISTINCT order_id)                                 AS repeated,
  (SELECT count(*) FROM orders WHERE order_id IN (SELECT order_id FROM ids)) AS known,
  count(*) FILTER (WHERE closed_given)                                       AS closed_given,
  count(*) FILTER (WHERE category_gap)                                       AS category_gaps,
  (SELECT count(*) FROM ingest_unreadable)                                   AS unreadable,
  -- rows without an order id: only then can some be empty records (mapped.ts dropBlankRows)
  count(*) - count(order_id)                                                 AS no_id
FROM ids;
