-- The month's candidates as stored, for `weisu topics` and the report.
SELECT rank, category, level, score, reasons::VARCHAR AS reasons, evidence::VARCHAR AS evidence, lead_unit,
       co_units::VARCHAR AS co_units, components::VARCHAR AS components, strftime(computed_at, '%Y-%m-%dT%H:%M:%S') AS computed_at
FROM topic_candidates
WHERE month = $month
ORDER BY rank;
