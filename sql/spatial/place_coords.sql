-- One batch's pending orders with usable coordinates (rowids $lo … $hi, seq above the stage's mark), read by the JS
-- pass as typed arrays (place-orders.ts readPoints): rowid, lon, lat in this order.
SELECT rowid, lon, lat
FROM orders
WHERE rowid BETWEEN $lo::BIGINT AND $hi::BIGINT
  AND seq > $mark
  AND place_coords(lon, lat) = 'ok';
