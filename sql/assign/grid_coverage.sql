-- Why a grid worker's list may be empty: the grids the recipient is configured for ($recipient's covers.grids),
-- whether the store places any order in a grid at all (a city without grid boundaries places none), and how many
-- of the recipient's grids any order is placed in (a mistyped grid id matches none).
WITH wanted AS (
  SELECT unnest(CAST(json_extract(covers, '$.grids') AS VARCHAR[])) AS grid_id
  FROM recipients
  WHERE recipient_id = $recipient
),
city_grids AS (
  SELECT DISTINCT grid_id FROM order_places WHERE grid_id IS NOT NULL
)
SELECT (SELECT count(*) FROM wanted) AS configured,
       (SELECT count(*) FROM city_grids) AS city_grids,
       (SELECT count(*) FROM wanted w WHERE w.grid_id IN (SELECT grid_id FROM city_grids)) AS known,
       (SELECT string_agg(grid_id, '、') FROM wanted) AS grids;
