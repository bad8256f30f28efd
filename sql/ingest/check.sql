-- The validation pass: each row's order_id and first failure (if any). It reads only the columns validation needs;
-- masking, the caller hash and the row hash are computed later, once, by the statement that writes the orders.
CREATE OR REPLACE TEMP TABLE ingest_check AS
SELECT _rec, _line, order_id, field, reason, reason_code, closed_unreadable, closed_outside
FROM ingest_typed;
