-- The points whose placeholder status this run changed (place_placeholders before: place_old; after: the table): the
-- orders at them are placed again, whatever their seq.
INSERT INTO place_redo (lon, lat)
SELECT lon, lat FROM (SELECT lon, lat FROM place_old EXCEPT SELECT lon, lat FROM place_placeholders)
UNION ALL
SELECT lon, lat FROM (SELECT lon, lat FROM place_placeholders EXCEPT SELECT lon, lat FROM place_old);

DROP TABLE place_old;
