DELETE FROM reports WHERE month = $month;
INSERT INTO reports (month, as_of, html_path, md_path, html_bytes, candidates, charts, notes, generated_at)
VALUES ($month, $as_of::DATE, $html_path, $md_path, $html_bytes, $candidates, $charts, $notes::JSON, now()::TIMESTAMP);
