-- Rebuild daily_counts for the touched days only, from the enriched orders.
DELETE FROM daily_counts WHERE day IN (SELECT day FROM touched_days);

-- $first and $after bound the touched days with constants (the first touched day, the day after the last): DuckDB
-- pushes them into the orders scan, so only those days' orders are joined with their places and flags. Filtering on
-- touched_days alone is a semi-join above the view's joins, which then join all orders of the store (10M in a big
-- city) with all places and flags to keep a few thousand rows. The semi-join still picks the exact days when the
-- touched days are not contiguous.
INSERT INTO daily_counts
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
FROM orders_enriched
WHERE created_at >= $first::TIMESTAMP
  AND created_at <  $after::TIMESTAMP
  AND created_at::DATE IN (SELECT day FROM touched_days)
GROUP BY ALL;

-- The same days at the finest level, for paths of three levels or more (see 0510_daily_leaf_counts.sql).
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
  AND length(category) - length(replace(category, '/', '')) >= 2
GROUP BY ALL;
