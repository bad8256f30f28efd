-- What the scorer reads for each target order of one page (pages.sql): its row number, the content as UTF-8 bytes
-- (decoded in the scoring workers), its category number and the structure bits (tag_input.flags, plus 1 when the
-- department list shows the order was bounced). The orders come first: see readPacked in src/tag/batch-io.ts. They
-- join tag_input by their row (tag_keys.orow), an integer instead of order_id; the page's rowid range keeps the
-- scan of orders to the page's span.
SELECT
  i.rn,
  encode(o.content) AS content,
  c.id AS category,
  CAST(i.flags | CASE WHEN o.dept IN (SELECT dept FROM tag_bounced) THEN 1 ELSE 0 END AS UTINYINT) AS flags
FROM orders o
JOIN tag_input      i ON i.orow = o.rowid
JOIN tag_categories c ON c.category = o.category
WHERE i.rn BETWEEN CAST($rn_lo AS INTEGER) AND CAST($rn_hi AS INTEGER)
  AND o.rowid BETWEEN CAST($orow_lo AS BIGINT) AND CAST($orow_hi AS BIGINT)
