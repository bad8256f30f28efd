-- Leadership's latest selection of the month's topic.
SELECT category, selected_by
FROM topic_selections
WHERE month = $month
ORDER BY selected_at DESC
LIMIT 1;
