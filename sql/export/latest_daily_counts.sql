-- Every day's counts before $before, oldest first.
SELECT day::VARCHAR AS day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed
FROM daily_counts
WHERE day < $before::DATE
ORDER BY day;
