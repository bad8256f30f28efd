-- The first day with any order: tells "no orders a year ago" apart from "no data a year ago".
SELECT min(day)::VARCHAR AS first_day FROM daily_counts WHERE day < $as_of::DATE;
