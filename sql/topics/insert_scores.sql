-- All scored categories at once, from one JSON array (a few hundred rows: one statement, not one per row).
INSERT INTO topic_scores (month, category, level, score, eligible, excluded_why, metrics, components)
SELECT
  $month,
  r->>'category',
  (r->>'level')::TINYINT,
  (r->>'score')::DOUBLE,
  (r->>'eligible')::BOOLEAN,
  r->>'excluded_why',
  r->'metrics',
  r->'components'
FROM (SELECT unnest(from_json($rows::JSON, '["JSON"]')) AS r);
