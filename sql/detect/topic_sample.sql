-- The orders whose texts the new_topic test reads (topic_documents.sql): of the last 2 complete weeks
-- ('recent'), the 26 weeks before ('prior') and the same weeks a year earlier ±2 weeks ('last_year', so a
-- phrase that returns every season is not taken for a new one), a deterministic sample of each window, the orders
-- with the smallest hash of order_id, with how many orders the window holds in full so counts can be scaled back.
--
-- Why it is built this way: the three windows hold ~2.4M orders of a 10M-order store. Read through
-- orders_enriched they were joined to every order's place and flags (hash joins over 10M rows) and then all
-- ranked by hash with their texts to draw the sample, spilling under the store's memory limit (~28 s). Here
-- each window's hash cutoff comes from a bounded heap of its smallest hashes, only the ~70,000 orders at or
-- below it go on, and the sample is a table so the next step's join knows it is small.
CREATE OR REPLACE TEMP TABLE detect_topic_sample AS
WITH window_orders AS NOT MATERIALIZED (
  SELECT
    *,
    CASE WHEN created_at >= $recent_start::DATE THEN 'recent'
         WHEN created_at >= $prior_start::DATE  THEN 'prior'
         ELSE 'last_year' END AS win,
    hash(order_id)            AS h
  FROM orders
  WHERE ((created_at >= $prior_start::DATE AND created_at < $recent_end::DATE)
         OR (created_at >= $last_year_start::DATE AND created_at < $last_year_end::DATE))
    AND created_at <  $as_of::DATE
    AND content IS NOT NULL
),
-- per window: its size, its sample size and its smallest hashes, as many as the largest sample needs
window_hashes AS (
  SELECT
    win,
    count(*) AS window_orders,
    CASE WHEN win = 'recent' THEN $sample_recent WHEN win = 'last_year' THEN $sample_recent * 3 ELSE $sample_prior END AS sample_size,
    min(h, greatest($sample_recent * 3, $sample_prior)) AS smallest_hashes
  FROM window_orders
  GROUP BY win
),
-- the largest hash in each window's sample: the sample_size-th smallest (the largest, when the window holds
-- fewer orders than its sample size)
window_cutoffs AS (
  SELECT win, window_orders, sample_size, smallest_hashes[least(sample_size, len(smallest_hashes))] AS cutoff
  FROM window_hashes
),
-- every order at or below its window's cutoff: the sample, plus any other order sharing the cutoff hash
sample_candidates AS (
  SELECT o.order_id, o.created_at, o.content, o.cat1, o.cat2, o.district, o.street, o.win, o.h, c.window_orders, c.sample_size
  FROM window_orders o
  JOIN window_cutoffs c USING (win)
  WHERE o.h <= c.cutoff
)
SELECT order_id, created_at, content, cat1, cat2, district, street, win, h, window_orders
FROM sample_candidates
-- ties on the hash go by order_id, so the sample never depends on scan order
QUALIFY row_number() OVER (PARTITION BY win ORDER BY h, order_id) <= sample_size;
