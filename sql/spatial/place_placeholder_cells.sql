-- The H3 cell of each point in place_placeholder_spans (computed by the stage for the few points there, appended to
-- ph_cells): an as-of outside the point's stretches gives its orders this cell.
UPDATE place_placeholder_spans s
SET cell = c.cell
FROM ph_cells c
WHERE c.lon = s.lon AND c.lat = s.lat;

DROP TABLE ph_cells;
