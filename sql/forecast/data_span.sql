-- First and last day with orders before the as-of date (what the weekly grid is built on).
SELECT min(day)::VARCHAR AS first_day, max(day)::VARCHAR AS last_day
FROM daily_counts
WHERE day < $as_of;
