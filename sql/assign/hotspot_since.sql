-- The earliest day the hotspot items' evidence reaches back to: the earliest window start of the spots
-- (assign_spots, hotspot_spots.sql) less that window's length, the window before it being compared too.
SELECT CAST(min(window_start) - CAST($as_of::DATE - min(window_start) AS INTEGER) AS VARCHAR) AS since
FROM assign_spots;
