-- Whether a status update was already recorded. With an idempotency key, the key decides (per item and recipient):
-- a retried request is the same report even if its body changed. Without one, the same status at the same time
-- with the same note from the same reporter is the same report (a re-imported file); a different note is kept.
SELECT count(*) AS n
FROM feedback
WHERE item_id = $id
  AND recipient_id IS NOT DISTINCT FROM $rid
  AND CASE
        WHEN $key IS NOT NULL THEN request_key = $key
        ELSE to_status = $to AND happened_at = $at::TIMESTAMP AND note IS NOT DISTINCT FROM $note
      END;
