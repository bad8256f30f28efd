-- One recipient as the page names it.
SELECT recipient_id AS id, name, kind FROM recipients WHERE recipient_id = $recipient;
