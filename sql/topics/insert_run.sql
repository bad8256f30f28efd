INSERT INTO topic_runs VALUES ($month, $as_of::DATE, $scored, $eligible, $notes::JSON, now()::TIMESTAMP);
