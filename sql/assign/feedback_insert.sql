-- One status update (回传) into the item's history.
INSERT INTO feedback (item_id, recipient_id, from_status, to_status, note, happened_at, recorded_at, source, file, line, request_key)
VALUES ($id, $rid, $from, $to, $note, $at::TIMESTAMP, current_localtimestamp(), $source, $file, $line, $key);
