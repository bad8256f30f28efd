SELECT
  (SELECT count(*) FROM ingest_rows)                                         AS rows,
  (SELECT count(*) FROM ingest_rows WHERE reason IS NOT NULL)                AS invalid,
  (SELECT count(*) FROM ingest_unreadable)                                   AS unreadable,
  count(*) FILTER (WHERE outcome = 'loaded')                                 AS loaded,
  count(*) FILTER (WHERE outcome = 'updated')                                AS updated,
  count(*) FILTER (WHERE outcome = 'unchanged')                              AS unchanged,
  count(*) FILTER (WHERE to_write AND known)                                 AS replaced,
  (SELECT count(*) FROM ingest_rows WHERE reason IS NULL AND closed_unreadable) AS closed_unreadable,
  (SELECT count(*) FROM ingest_rows WHERE reason IS NULL AND closed_outside)  AS closed_outside
FROM ingest_outcomes;
