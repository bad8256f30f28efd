-- Every category path an output may name — a prefix of 1…n levels of a stored order's category — with its level
-- names as the orders store them (orders.category_levels; a store loaded before that column splits at '/'), so JSON
-- outputs can carry category_levels beside category (CONTRACT §4), exact where a name holds '/' (投诉/求助, HEAT/HOT
-- WATER). Read from the distinct level lists: a few hundred, whatever the store's size.
WITH lists AS (
  SELECT DISTINCT coalesce(category_levels, string_split(category, '/')) AS levels
  FROM orders
),
prefixes AS (
  SELECT levels, unnest(range(1, len(levels) + 1)) AS depth
  FROM lists
)
SELECT DISTINCT array_to_string(levels[1:depth], '/') AS category, depth, levels[1:depth] AS levels
FROM prefixes
ORDER BY depth, category;
