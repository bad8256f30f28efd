-- Whether item $item is routed to recipient $recipient: a recipient sees and reports on its own items only.
SELECT count(*) AS routed FROM assignment_recipients WHERE item_id = $item AND recipient_id = $recipient;
