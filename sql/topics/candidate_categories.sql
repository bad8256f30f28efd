-- The categories of the month's candidates, by rank: what `weisu topics select` accepts without --force.
SELECT category FROM topic_candidates WHERE month = $month ORDER BY rank;
