-- Pending orders per block of 2048 rowids, in rowid order: the stage cuts batches of whole blocks from this.
SELECT rowid // 2048 AS block, count(*) AS n
FROM orders
WHERE seq > $mark
GROUP BY block
ORDER BY block;
