-- The closed_at values a load dropped, by cause: unreadable, or outside the plausible window (the order is kept
-- with closed_at empty and both are warned). Run by the direct way only when the closed_at it stored are fewer than
-- the ones the file writes (ids.sql closed_given): a second parse of the column, which most files never need.
SELECT
  count(*) FILTER (WHERE closed_unreadable) AS closed_unreadable,
  count(*) FILTER (WHERE closed_outside)    AS closed_outside
FROM ingest_typed;
