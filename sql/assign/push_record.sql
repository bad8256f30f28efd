-- One attempt to send one message of a push: the items it carried and what the webhook answered.
INSERT INTO pushes (push_id, run_id, as_of, recipient_id, items, format, part, parts, attempt, sent_at, http_status, ok,
                    error, ms)
VALUES ($push_id, $run_id, $as_of::DATE, $recipient, string_split($items, ','), $format, $part, $parts, $attempt,
        current_localtimestamp(), $status, $ok, $error, $ms);
