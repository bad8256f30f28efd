-- The hotspots of the latest as-of on or before $before.
SELECT * FROM hotspots WHERE as_of = (SELECT max(as_of) FROM hotspots WHERE as_of <= $before::DATE);
