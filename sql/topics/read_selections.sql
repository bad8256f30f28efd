-- Leadership's selections of the month's topic, oldest first, for `weisu topics`.
SELECT category, strftime(selected_at, '%Y-%m-%dT%H:%M:%S') AS selected_at, selected_by
FROM topic_selections
WHERE month = $month
ORDER BY selected_at;
