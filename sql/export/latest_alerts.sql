-- The alerts of the latest as-of on or before $before (details as JSON text, which Arrow takes as a string).
SELECT * EXCLUDE (details), details::VARCHAR AS details
FROM alerts
WHERE as_of = (SELECT max(as_of) FROM alerts WHERE as_of <= $before::DATE);
