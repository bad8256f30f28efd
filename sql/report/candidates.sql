-- The month's stored topic candidates and any recorded choice.
SELECT
  c.rank, c.category, c.level, c.score,
  c.reasons::VARCHAR  AS reasons,
  c.evidence::VARCHAR AS evidence,
  c.lead_unit,
  c.co_units::VARCHAR AS co_units,
  (SELECT string_agg(coalesce(s.selected_by, ''), '、') FROM topic_selections s WHERE s.month = c.month AND s.category = c.category) AS selected_by,
  EXISTS (SELECT 1 FROM topic_selections s WHERE s.month = c.month AND s.category = c.category) AS selected
FROM topic_candidates c
WHERE c.month = $month
ORDER BY c.rank;
