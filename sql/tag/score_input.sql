-- The target orders numbered, with what scoring and write.sql need besides the content. The scorer reads and
-- writes row numbers and small codes, and write.sql joins the ids, seq and names back (moving strings through
-- JS is what made scoring slow). Structure as bits: 1 dispatched at least twice, 2 reopened, 4 a repeat of an
-- order that had already been closed (the read adds 1 for a department list that shows a bounced order).
CREATE OR REPLACE TEMP TABLE tag_input AS
SELECT
  -- tag_keys' rows are numbered from its first rowid on (rowids of a table created in this transaction start
  -- at a large base)
  CAST(t.kid - (SELECT min(rowid) FROM tag_keys) AS INTEGER) AS rn,
  t.order_id,
  t.seq,
  t.category,
  t.dept,
  CAST(  CASE WHEN coalesce(t.dispatch_count, 0) >= 2 THEN 1 ELSE 0 END
       + CASE WHEN coalesce(t.reopened, false) THEN 2 ELSE 0 END
       + CASE WHEN coalesce(r.after_close, false) THEN 4 ELSE 0 END AS UTINYINT) AS flags,
  r.is_repeat,
  r.repeat_kind,
  r.repeat_of
FROM tag_targets t
JOIN tag_repeats r USING (kid);

-- The targets' distinct categories (the scorer gets a category as its number here, for the scope rules) and
-- departments (JS decides once per department whether it names several, i.e. the order was bounced).
CREATE OR REPLACE TEMP TABLE tag_categories AS
SELECT CAST(row_number() OVER (ORDER BY category) - 1 AS INTEGER) AS id, category
FROM (SELECT DISTINCT category FROM tag_input);

CREATE OR REPLACE TEMP TABLE tag_depts AS
SELECT DISTINCT dept FROM tag_input WHERE dept IS NOT NULL;
