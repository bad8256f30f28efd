-- The first day with any order before $as_of: weeks before it are unknown, not zero.
SELECT min(day)::VARCHAR AS first_day FROM daily_counts WHERE day < $as_of::DATE;
