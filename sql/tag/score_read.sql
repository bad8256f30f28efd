-- What the scorer reads for each target order: its row number, the content as UTF-8 bytes (decoded in the
-- scoring workers), its category number and the structure bits (tag_input.flags, plus 1 when the department
-- list shows the order was bounced). The orders come first: see streamAsWritten in src/tag/batch-io.ts.
SELECT
  i.rn,
  encode(o.content) AS content,
  c.id AS category,
  CAST(i.flags | CASE WHEN i.dept IN (SELECT dept FROM tag_bounced) THEN 1 ELSE 0 END AS UTINYINT) AS flags
FROM orders o
JOIN tag_input      i USING (order_id)
JOIN tag_categories c ON c.category = i.category
