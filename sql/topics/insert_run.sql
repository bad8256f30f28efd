INSERT INTO topic_runs (month, as_of, scored, eligible, notes, computed_at)
VALUES ($month, $as_of::DATE, $scored, $eligible, $notes::JSON, now()::TIMESTAMP);
