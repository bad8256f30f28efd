-- One item's reports in the order they happened (and were recorded, for reports of the same second).
SELECT from_status, to_status, note, strftime(happened_at, '%Y-%m-%d %H:%M:%S') AS at, recipient_id, source
FROM feedback
WHERE item_id = $item
ORDER BY happened_at, recorded_at;
