-- Each finest category path of three levels or more (daily_leaf_counts.category) with its level names as the orders
-- store them (orders.category_levels, CONTRACT §1): detection takes the level-3-and-finer prefixes from these names,
-- because a name may hold '/' (HEAT/HOT WATER) and splitting the joined path at '/' would cut it into extra levels.
-- One row per distinct path, so the names are looked up once per path, not carried on every day row. Filled by the
-- aggregate stage with the paths of the days it counts; a path stored with two different lists keeps the newest.
CREATE TABLE leaf_paths (
  category         VARCHAR   PRIMARY KEY,     -- the level names joined by '/'
  category_levels  VARCHAR[] NOT NULL         -- at least 3 names
);

-- a store made before this table: every path its orders already hold, so the next detection run needs no recount
INSERT INTO leaf_paths (category, category_levels)
SELECT category, arg_max(coalesce(category_levels, string_split(category, '/')), created_at)
FROM orders
WHERE coalesce(len(category_levels), length(category) - length(replace(category, '/', '')) + 1) >= 3
GROUP BY category;
