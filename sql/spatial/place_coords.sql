-- One batch's pending orders with usable coordinates (rowids $lo … $hi, seq above the stage's mark), read by the JS
-- pass as typed arrays (place-orders.ts readPoints): rowid, lon, lat in this order. Points that name no place
-- (place_placeholders) are left out: their orders are placed by name, without a cell.
SELECT rowid, lon, lat
FROM orders o
WHERE rowid BETWEEN $lo::BIGINT AND $hi::BIGINT
  AND (o.seq > $mark OR EXISTS (SELECT 1 FROM place_redo r WHERE r.lon = o.lon AND r.lat = o.lat))
  AND place_coords(lon, lat) = 'ok'
  AND NOT EXISTS (SELECT 1 FROM place_placeholders ph WHERE ph.lon = o.lon AND ph.lat = o.lat);
