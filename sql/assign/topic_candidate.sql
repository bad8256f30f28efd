-- The month's latest topic candidate, of $category when one was selected (NULL: the rank-1 candidate), with the
-- units the topics stage proposed.
SELECT category, lead_unit, CAST(co_units AS VARCHAR) AS co_units
FROM topic_candidates
WHERE month = $month AND ($category::VARCHAR IS NULL OR category = $category::VARCHAR)
ORDER BY computed_at DESC, rank
LIMIT 1;
