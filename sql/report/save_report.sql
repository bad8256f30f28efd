DELETE FROM reports WHERE month = $month;
INSERT INTO reports VALUES ($month, $as_of::DATE, $html_path, $md_path, $html_bytes, $candidates, $charts, $notes::JSON, now()::TIMESTAMP);
