-- Replace the month's candidates and score table with this run's (idempotent per month).
DELETE FROM topic_candidates WHERE month = $month;
DELETE FROM topic_scores WHERE month = $month;
DELETE FROM topic_runs WHERE month = $month;
