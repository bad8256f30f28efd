-- The earliest day the evidence of this as-of's hotspot items reaches back to: each hotspot's window and the
-- window of the same length before it. Computed on its own and handed to hotspot_candidates.sql as a constant,
-- because a bound computed inside that query is not pushed into the scan of orders: DuckDB then joins all orders
-- with their places and flags before filtering (43.7 s instead of 2.3 s on a 10M-order store).
WITH spots AS (
  SELECT COALESCE(min(window_start), $as_of::DATE - $window_days::INTEGER) AS window_start
  FROM hotspots
  WHERE as_of = $as_of::DATE
    AND list_contains(string_split($kinds, ','), kind)
    AND z >= $min_z AND count >= $min_count
  GROUP BY cell, category
)
SELECT CAST(min(window_start) - CAST($as_of::DATE - min(window_start) AS INTEGER) AS VARCHAR) AS since
FROM spots
