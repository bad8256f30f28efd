-- Name keys (place_key: no spaces, no administrative suffix), computed once per distinct name of the pending orders
-- and the boundaries, not per order.
CREATE OR REPLACE TEMP TABLE place_keys AS
SELECT name, place_key(name) AS key
FROM (
  SELECT district AS name FROM place_todo UNION SELECT street FROM place_todo UNION SELECT community FROM place_todo
  UNION SELECT name FROM place_units UNION SELECT parent FROM place_units
)
WHERE name IS NOT NULL;
