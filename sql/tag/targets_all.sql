-- A first run or a re-tag: every order is a target, so each repeat window sees every order with a key (no
-- semi-join with the targets' keys, which cost a hash table of 10M keys per window).
CREATE OR REPLACE TEMP VIEW tag_caller_rows AS
SELECT rowid AS kid, order_id, created_at, closed_at, caller_h FROM tag_keys WHERE caller_h IS NOT NULL;

CREATE OR REPLACE TEMP VIEW tag_place_rows AS
SELECT rowid AS kid, order_id, created_at, closed_at, place_h FROM tag_keys WHERE place_h IS NOT NULL;
