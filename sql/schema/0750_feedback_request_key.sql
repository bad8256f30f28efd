-- The idempotency key of a status update sent over HTTP (header Idempotency-Key or body field idempotency_key).
-- A retried request carries the same key and is recorded once; two different notes sent in the same second are
-- two rows. NULL for updates from files, the CLI and the demo simulation.
ALTER TABLE feedback ADD COLUMN request_key VARCHAR;
