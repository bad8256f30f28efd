-- The pages the targets are scored and written in: $page_orders consecutive row numbers (rn) each, with the span
-- of rows in orders they come from. A page's read (score_read.sql) and writes (write.sql) touch only its rows and
-- that span of orders (DuckDB pushes a rowid range into the scan), so the scored rows the scorer holds and the
-- joins of the writes stay the size of a page whatever the size of the store.
SELECT CAST(rn // $page_orders AS INTEGER) AS page,
       min(rn)   AS rn_lo,
       max(rn)   AS rn_hi,
       min(orow) AS orow_lo,
       max(orow) AS orow_hi
FROM tag_input
GROUP BY page
ORDER BY page;
