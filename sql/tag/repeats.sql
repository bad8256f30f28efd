-- For each target order, the latest earlier order with the same caller key and with the same place key. Each
-- window sees every order of the keys it partitions by (from the window before the first target on), so the
-- predecessor found is the true one, not just the latest among this run's orders. The windows partition by the
-- keys' MD5 numbers and the chains join back by kid (integers, where strings made up most of the sort and join).
CREATE OR REPLACE TEMP TABLE tag_repeats AS
WITH span AS (
  SELECT t0 FROM tag_span
),
caller_chain AS (
  SELECT rowid AS kid,
         lag(order_id)   OVER w AS prev_id,
         lag(created_at) OVER w AS prev_at,
         lag(closed_at)  OVER w AS prev_closed
  FROM tag_keys, span
  WHERE caller_h IN (SELECT caller_h FROM tag_targets WHERE caller_h IS NOT NULL)
    AND caller_h IS NOT NULL
    AND created_at >= span.t0
  WINDOW w AS (PARTITION BY caller_h ORDER BY created_at, order_id)
),
place_chain AS (
  SELECT rowid AS kid,
         lag(order_id)   OVER w AS prev_id,
         lag(created_at) OVER w AS prev_at,
         lag(closed_at)  OVER w AS prev_closed
  FROM tag_keys, span
  WHERE place_h IN (SELECT place_h FROM tag_targets WHERE place_h IS NOT NULL)
    AND place_h IS NOT NULL
    AND created_at >= span.t0
  WINDOW w AS (PARTITION BY place_h ORDER BY created_at, order_id)
),
within_window AS (
  SELECT
    t.kid,
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
  kid,
  caller_prev IS NOT NULL OR place_prev IS NOT NULL                        AS is_repeat,
  CASE WHEN caller_prev IS NOT NULL THEN 'caller'
       WHEN place_prev  IS NOT NULL THEN 'place' END                       AS repeat_kind,
  coalesce(caller_prev, place_prev)                                        AS repeat_of,
  -- the earlier order had been closed when this one came in: the problem came back after "done"
  coalesce(CASE WHEN caller_prev IS NOT NULL THEN caller_prev_closed ELSE place_prev_closed END <= created_at, false)
                                                                           AS after_close
FROM within_window;
