-- Name keys (place_key: no spaces, no administrative suffix) of the boundary units and their parents, computed once
-- per run; the orders' own names get theirs per batch, once per distinct name.
CREATE OR REPLACE TEMP TABLE place_unit_keys AS
SELECT name, place_key(name) AS key
FROM (SELECT name FROM place_units UNION SELECT parent FROM place_units)
WHERE name IS NOT NULL;
