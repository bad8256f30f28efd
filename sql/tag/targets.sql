-- Only when some orders were tagged before (a nightly increment): existing orders from the earliest new or
-- changed order on that share a key with one are recomputed too (a late-arriving earlier order can make them
-- repeats). On a first run or a re-tag every order is a target already and this is skipped.
UPDATE tag_keys SET target = true
WHERE NOT target
  AND created_at >= (SELECT first_changed FROM tag_span)
  AND (caller_h IN (SELECT caller_h FROM tag_keys WHERE target AND caller_h IS NOT NULL)
    OR place_h  IN (SELECT place_h  FROM tag_keys WHERE target AND place_h  IS NOT NULL));

-- The rows each repeat window has to see: every order of the keys that a target has.
CREATE OR REPLACE TEMP VIEW tag_caller_rows AS
SELECT rowid AS kid, order_id, created_at, closed_at, caller_h FROM tag_keys
WHERE caller_h IN (SELECT caller_h FROM tag_keys WHERE target AND caller_h IS NOT NULL);

CREATE OR REPLACE TEMP VIEW tag_place_rows AS
SELECT rowid AS kid, order_id, created_at, closed_at, place_h FROM tag_keys
WHERE place_h IN (SELECT place_h FROM tag_keys WHERE target AND place_h IS NOT NULL);
