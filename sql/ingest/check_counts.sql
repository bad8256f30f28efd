-- What the validation pass (check.sql) found.
SELECT
  (SELECT count(*) FROM ingest_check)                                            AS rows,
  (SELECT count(*) FROM ingest_check WHERE reason IS NOT NULL)                   AS invalid,
  (SELECT count(*) FROM ingest_check WHERE reason IS NULL AND closed_unreadable) AS closed_unreadable,
  (SELECT count(*) FROM ingest_check WHERE reason IS NULL AND closed_outside)    AS closed_outside;
