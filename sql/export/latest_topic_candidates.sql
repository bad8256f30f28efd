-- The topic candidates of the latest month (JSON columns as text, which Arrow takes as strings).
SELECT * EXCLUDE (reasons, evidence, co_units),
       reasons::VARCHAR AS reasons, evidence::VARCHAR AS evidence, co_units::VARCHAR AS co_units
FROM topic_candidates
WHERE month = (SELECT max(month) FROM topic_candidates);
