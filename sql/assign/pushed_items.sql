-- The items already delivered to a recipient by a successful push.
SELECT DISTINCT unnest(items) AS item_id FROM pushes WHERE recipient_id = $r AND ok;
