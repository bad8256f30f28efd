-- The hotspot snapshot the month's topics are judged against: the latest one on or before the as-of, if it is
-- recent (hotspots are recomputed nightly; an older snapshot no longer describes last month).
SELECT max(as_of)::VARCHAR AS as_of
FROM hotspots
WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 35 DAY;
