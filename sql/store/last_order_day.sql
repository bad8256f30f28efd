-- The last day before the as-of with any order at all (daily_counts holds only days with orders).
SELECT max(day)::VARCHAR AS last_day FROM daily_counts WHERE day < $as_of::DATE;
