-- For each target order, the latest earlier order with the same caller key and with the same place key. Each
-- window sees every order of the keys it partitions by (tag_caller_rows / tag_place_rows: from the window before
-- the first target on), so the predecessor found is the true one, not just the latest among this run's orders.
-- The windows partition by the keys' MD5 numbers and the chains join back by kid (integers, where strings made
-- up most of the sort and join).
--
-- The result is what the scorer and write.sql need per target, numbered: rn (the scorer reads and writes row
-- numbers and small codes; write.sql joins the ids, seq and names back), the order's row in orders, and the
-- structure bits (tag_keys.flags, plus 4 for a repeat of an order that had already been closed; score_read.sql
-- adds 1 for a department list that shows a bounced order).
CREATE OR REPLACE TEMP TABLE tag_input AS
WITH caller_chain AS (
  SELECT kid,
         lag(order_id)   OVER w AS prev_id,
         lag(created_at) OVER w AS prev_at,
         lag(closed_at)  OVER w AS prev_closed
  FROM tag_caller_rows
  WINDOW w AS (PARTITION BY caller_h ORDER BY created_at, order_id)
),
place_chain AS (
  SELECT kid,
         lag(order_id)   OVER w AS prev_id,
         lag(created_at) OVER w AS prev_at,
         lag(closed_at)  OVER w AS prev_closed
  FROM tag_place_rows
  WINDOW w AS (PARTITION BY place_h ORDER BY created_at, order_id)
),
within_window AS (
  SELECT
    t.kid,
    t.order_id,
    t.seq,
    t.orow,
    t.flags,
    t.created_at,
    CASE WHEN c.prev_at >= t.created_at - to_days(CAST($window_days AS INTEGER)) THEN c.prev_id END AS caller_prev,
    CASE WHEN c.prev_at >= t.created_at - to_days(CAST($window_days AS INTEGER)) THEN c.prev_closed END AS caller_prev_closed,
    CASE WHEN p.prev_at >= t.created_at - to_days(CAST($window_days AS INTEGER)) THEN p.prev_id END AS place_prev,
    CASE WHEN p.prev_at >= t.created_at - to_days(CAST($window_days AS INTEGER)) THEN p.prev_closed END AS place_prev_closed
  FROM tag_targets t
  LEFT JOIN caller_chain c USING (kid)
  LEFT JOIN place_chain  p USING (kid)
)
SELECT
  -- tag_keys' rows are numbered from its first rowid on ($first_kid: rowids of a table created in this
  -- transaction start at a large base; a parameter, as a subquery it was a cross product over every row)
  CAST(kid - $first_kid AS INTEGER)                                        AS rn,
  order_id,
  seq,
  orow,
  -- the earlier order had been closed when this one came in: the problem came back after "done"
  CAST(flags + CASE WHEN coalesce(CASE WHEN caller_prev IS NOT NULL THEN caller_prev_closed ELSE place_prev_closed END <= created_at, false)
                    THEN 4 ELSE 0 END AS UTINYINT)                          AS flags,
  caller_prev IS NOT NULL OR place_prev IS NOT NULL                        AS is_repeat,
  CASE WHEN caller_prev IS NOT NULL THEN 'caller'
       WHEN place_prev  IS NOT NULL THEN 'place' END                       AS repeat_kind,
  coalesce(caller_prev, place_prev)                                        AS repeat_of
FROM within_window;

-- The months that hold a target order, for repeat_rates.sql. Taken now, so tag_keys can go before scoring: at
-- 10M orders it is hundreds of MB of DuckDB's 1 GB, which the scoring read and the writes then spilled for.
CREATE OR REPLACE TEMP TABLE tag_months AS
SELECT DISTINCT date_trunc('month', created_at)::DATE AS month FROM tag_targets;

DROP VIEW tag_caller_rows;
DROP VIEW tag_place_rows;
DROP VIEW tag_targets;
DROP TABLE tag_keys;
