-- How many orders of this batch got a closed_at (the direct way: every row of the batch is the file's).
SELECT count(closed_at) AS stored FROM orders WHERE seq = $batch;
