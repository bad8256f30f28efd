-- What each valid row of the file does to the store (CONTRACT §5): the first row of an order_id is compared with
-- the stored order, every later row of the same id in the file with the row before it. Only the last row of
-- each id is written, and only when it differs from what the store holds.
CREATE OR REPLACE TEMP TABLE ingest_outcomes AS
WITH valid AS (
  SELECT _rec, order_id, row_hash FROM ingest_rows WHERE reason IS NULL
),
in_file_order AS (
  SELECT _rec, order_id, row_hash,
    lag(row_hash) OVER (PARTITION BY order_id ORDER BY _rec)                  AS prev_hash,
    row_number()  OVER (PARTITION BY order_id ORDER BY _rec DESC) = 1         AS is_last
  FROM valid
),
against_store AS (
  -- the stored order hashed afresh, as typed_rows.sql hashes a file's row, not read from orders.row_hash: DuckDB's
  -- hash() may change between versions, and a stored hash from an older one would make every order of the next
  -- export look updated (rewritten, and every later stage redoing it)
  SELECT f.*,
    hash(o.order_id, o.created_at, o.category, o.content, o.district, o.street, o.community, o.address, o.lon, o.lat,
         o.caller_hash, o.channel, o.order_type, o.dept, o.closed_at, o.satisfaction, o.resolved, o.dispatch_count,
         o.reopened, o.category_levels)                                       AS stored_hash,
    o.first_seq AS stored_first_seq, o.order_id IS NOT NULL AS known
  FROM in_file_order f LEFT JOIN orders o ON o.order_id = f.order_id
)
SELECT _rec, order_id,
  CASE WHEN prev_hash IS NULL AND NOT known                 THEN 'loaded'
       WHEN coalesce(prev_hash, stored_hash) = row_hash     THEN 'unchanged'
       ELSE 'updated' END                                   AS outcome,
  is_last AND (NOT known OR stored_hash <> row_hash)        AS to_write,
  known,
  stored_first_seq
FROM against_store;
