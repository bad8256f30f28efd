-- What a recipient may do with an item, in one read: whether the item exists, whether it is routed to the
-- recipient (else 403), and the recipient's kind (a grid worker may not set 核验).
SELECT
  EXISTS (SELECT 1 FROM assignments WHERE item_id = $i) AS item_exists,
  EXISTS (SELECT 1 FROM assignment_recipients WHERE item_id = $i AND recipient_id = $r) AS routed,
  (SELECT kind FROM recipients WHERE recipient_id = $r) AS kind;
