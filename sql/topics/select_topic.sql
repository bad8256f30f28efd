-- Record leadership's choice of $category as the topic of $month; choosing the same category again replaces the
-- earlier record, so its time, chooser and note are the latest.
DELETE FROM topic_selections WHERE month = $month AND category = $category;

INSERT INTO topic_selections (month, category, selected_at, selected_by, note)
VALUES ($month, $category, now()::TIMESTAMP, $by, $note);
