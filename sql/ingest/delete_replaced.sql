-- Orders the file changes: their old rows go, the new version is inserted by insert_orders.sql. (Delete and insert
-- is much faster in DuckDB than MERGE/UPDATE of wide rows; orders has no key index, so these two statements are
-- what keeps one row per order_id.)
DELETE FROM orders
WHERE order_id IN (SELECT order_id FROM ingest_outcomes WHERE to_write AND known);
