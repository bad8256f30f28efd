-- The categories (the scorer gets a category as its number here, for the scope rules) and departments (JS
-- decides once per department whether it names several, i.e. the order was bounced) of the orders in the span:
-- a superset of the targets' (a name that no target has is harmless), read from orders' dictionaries rather
-- than carried through tag_keys.
CREATE OR REPLACE TEMP TABLE tag_categories AS
SELECT CAST(row_number() OVER (ORDER BY category) - 1 AS INTEGER) AS id, category
FROM (SELECT DISTINCT category FROM orders WHERE created_at >= (SELECT t0 FROM tag_span));

CREATE OR REPLACE TEMP TABLE tag_depts AS
SELECT DISTINCT dept FROM orders WHERE created_at >= (SELECT t0 FROM tag_span) AND dept IS NOT NULL;
