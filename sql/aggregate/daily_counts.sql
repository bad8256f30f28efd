-- Rebuild daily_counts for the touched days in [$first, $after): the stage runs this once per span of touched days
-- (src/aggregate/stage.ts), so a first run over years of orders counts a month at a time.
DELETE FROM daily_counts WHERE day IN (SELECT day FROM touched_days) AND day >= $first::DATE AND day < $after::DATE;

-- $first and $after bound the span with constants (the first touched day of the span, the day after its last):
-- orders_enriched_in (views/30_orders_enriched_in.sql) reads only those days' orders and hashes only their places and
-- flags. Through orders_enriched, DuckDB hashed every order's flags (10M rows in a big city) to count a night's few
-- thousand orders. The semi-join on touched_days still picks the exact days when they are not contiguous.
INSERT INTO daily_counts (day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed)
SELECT
  created_at::DATE                                      AS day,
  cat1,
  cat2,
  district_r                                            AS district,
  street_r                                              AS street,
  count(*)::INTEGER                                     AS n,
  count(*) FILTER (WHERE is_repeat)::INTEGER            AS n_repeat,
  count(*) FILTER (WHERE out_of_scope)::INTEGER         AS n_out_of_scope,
  -- 不满意 on a three-level scale, 非常不满意 / 很不满意 / 不太满意 on the five-level ones some cities use
  count(*) FILTER (WHERE regexp_matches(satisfaction, '不\S{0,2}满意'))::INTEGER AS n_unsatisfied,
  count(*) FILTER (WHERE closed_at IS NOT NULL)::INTEGER AS n_closed
FROM orders_enriched_in($first::TIMESTAMP, $after::TIMESTAMP)
WHERE created_at::DATE IN (SELECT day FROM touched_days)
GROUP BY ALL;

-- The same days at the finest level, for paths of three levels or more (see 0510_daily_leaf_counts.sql). The depth
-- is the number of level names where the store keeps them (a name may hold '/': HEAT/HOT WATER), else the slashes.
DELETE FROM daily_leaf_counts WHERE day IN (SELECT day FROM touched_days);

INSERT INTO daily_leaf_counts (day, category, district, street, n)
SELECT
  created_at::DATE    AS day,
  category,
  district_r          AS district,
  street_r            AS street,
  count(*)::INTEGER   AS n
FROM orders_placed
WHERE created_at >= $first::TIMESTAMP
  AND created_at <  $after::TIMESTAMP
  AND created_at::DATE IN (SELECT day FROM touched_days)
  AND coalesce(len(category_levels), length(category) - length(replace(category, '/', '')) + 1) >= 3
GROUP BY ALL;

-- The level names of each path just counted (see 0301_leaf_paths.sql), read once per path: detection cuts a path into
-- its level-3-and-finer prefixes by these names, never by the slashes of the joined path. The newest order's names win.
INSERT OR REPLACE INTO leaf_paths (category, category_levels)
SELECT category, arg_max(coalesce(category_levels, string_split(category, '/')), created_at) AS category_levels
FROM orders
WHERE created_at >= $first::TIMESTAMP
  AND created_at <  $after::TIMESTAMP
  AND created_at::DATE IN (SELECT day FROM touched_days)
  AND coalesce(len(category_levels), length(category) - length(replace(category, '/', '')) + 1) >= 3
GROUP BY category;
