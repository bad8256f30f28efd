-- Days whose counts must be recomputed: those holding an order changed since the last aggregation.
CREATE OR REPLACE TEMP TABLE touched_days AS
SELECT DISTINCT created_at::DATE AS day
FROM orders
WHERE seq > $mark;
