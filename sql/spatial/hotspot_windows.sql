-- The windows the hotspot stage tests: one per offset (days before as-of at which the window ends; 0 is the current
-- window), each $window_days long. The offsets come from windowOffsets (src/spatial/hotspots.ts) as '0,28,35,…'.
CREATE OR REPLACE TEMP TABLE hs_windows AS
WITH
window_offsets AS (
  SELECT DISTINCT CAST(unnest(string_split($offsets, ',')) AS INTEGER) AS o
)
SELECT o, $as_of::DATE - o - $window_days::INTEGER AS w_start, $as_of::DATE - o AS w_end
FROM window_offsets;
