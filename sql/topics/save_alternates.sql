-- Replace the month's 备选 with this run's (idempotent per month), all at once from one JSON array.
DELETE FROM topic_alternates WHERE month = $month;
INSERT INTO topic_alternates (month, rank, category, level, score, excluded_why, reasons, weaker, computed_at)
SELECT
  $month,
  (r->>'rank')::INTEGER,
  r->>'category',
  (r->>'level')::TINYINT,
  (r->>'score')::DOUBLE,
  r->>'excluded_why',
  r->'reasons',
  r->'weaker',
  now()::TIMESTAMP
FROM (SELECT unnest(from_json($rows::JSON, '["JSON"]')) AS r);
