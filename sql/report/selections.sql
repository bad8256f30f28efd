-- Leadership's recorded choices for the month, latest first (the assign stage takes the latest).
SELECT category, coalesce(selected_by, '') AS selected_by, strftime(selected_at, '%Y-%m-%d %H:%M') AS selected_at
FROM topic_selections
WHERE month = $month
ORDER BY selected_at DESC, category;
