-- When each point named no place (place stage, sql/spatial/place_placeholders.sql): a point is a placeholder for an
-- as-of only on the evidence of the orders created before that as-of (CONTRACT §2), so a run for a past as-of does not
-- change when later orders arrive. One row per stretch of as-of dates [since, until) over which the rule holds; a
-- point's orders have no cell for an as-of inside a stretch and the point's own cell otherwise (hotspot_area.sql).
-- Recomputed from the whole store on every place run, like place_placeholders.
CREATE TABLE place_placeholder_spans (
  lon          DOUBLE  NOT NULL,
  lat          DOUBLE  NOT NULL,
  reason       VARCHAR NOT NULL,   -- shared | outside_box, as in place_placeholders
  since        DATE    NOT NULL,   -- the first as-of at which the orders created before it make the point a placeholder
  until        DATE,               -- the first as-of at which they no longer do (exclusive); NULL: still one today
  cell         VARCHAR             -- the H3 cell of the point itself (spatial.resolution), for as-of dates outside spans
);

-- The first as-of of the open stretch (the placeholder_spans row with until NULL): for data quality and the docs.
ALTER TABLE place_placeholders ADD COLUMN since DATE;
