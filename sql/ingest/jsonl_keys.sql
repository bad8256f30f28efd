-- Every key of the file's objects, in the order they first appear (the columns of a JSON Lines file).
WITH keys_per_line AS (
  SELECT unnest(json_keys(j)) AS k, _line FROM ingest_jsonl_ok
)
SELECT k FROM keys_per_line GROUP BY k ORDER BY min(_line), k;
