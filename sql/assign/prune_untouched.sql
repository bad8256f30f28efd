-- Items this as-of created earlier that the inputs no longer support (hotspots recomputed, leadership chose another
-- topic) are withdrawn, but only while nobody has seen or touched them: still 交办, never pushed, no feedback.
DELETE FROM assignments a
WHERE a.as_of = $as_of::DATE
  AND a.source = $source
  AND a.status = '交办'
  AND NOT list_contains(string_split($keep, ','), a.item_id)
  AND NOT EXISTS (SELECT 1 FROM pushes p WHERE p.ok AND list_contains(p.items, a.item_id))
  AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.item_id = a.item_id)
