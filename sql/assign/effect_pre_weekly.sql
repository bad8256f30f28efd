-- The category's mean weekly orders city-wide before the action: days $pre_start to $pre_end (excluded), over
-- $weeks weeks. $category matches a level-1 or level-2 category.
SELECT COALESCE(sum(n), 0)::DOUBLE / $weeks AS per_week
FROM daily_counts
WHERE (cat2 = $category OR cat1 = $category) AND day >= $pre_start::DATE AND day < $pre_end::DATE;
