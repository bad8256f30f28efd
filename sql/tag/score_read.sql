-- What the scorer reads for each target order: its row number, the content as UTF-8 bytes (decoded in the
-- scoring workers), its category number and the structure bits (tag_input.flags, plus 1 when the department
-- list shows the order was bounced). The orders come first: see streamAsWritten in src/tag/batch-io.ts. They
-- join tag_input by their row (tag_keys.orow), an integer instead of order_id.
SELECT
  i.rn,
  encode(o.content) AS content,
  c.id AS category,
  CAST(i.flags | CASE WHEN o.dept IN (SELECT dept FROM tag_bounced) THEN 1 ELSE 0 END AS UTINYINT) AS flags
FROM orders o
JOIN tag_input      i ON i.orow = o.rowid
JOIN tag_categories c ON c.category = o.category
