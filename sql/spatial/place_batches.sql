-- Pending orders per block of 2048 rowids, in rowid order: the stage cuts batches of whole blocks from this. Pending:
-- changed since the mark, or at a point that became or stopped being a placeholder this run (place_redo).
SELECT rowid // 2048 AS block, count(*) AS n
FROM orders o
WHERE (o.seq > $mark OR EXISTS (SELECT 1 FROM place_redo r WHERE r.lon = o.lon AND r.lat = o.lat))
GROUP BY block
ORDER BY block;
