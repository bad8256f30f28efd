-- Facts about the orders one file just wrote that are kept but worth a warning: an order closed before it was
-- created (a clock or export error: its handling time would be negative). Reads only the batch's rows (seq).
SELECT count(*) FILTER (WHERE closed_at < created_at) AS closed_before_created
FROM orders
WHERE seq = $batch;
