-- 局部突发: last month's local rises a leader should hear about even when they are no city-wide topic. A street or
-- district alert (not a new phrase) that does not just follow a rise of the whole city (details.primary false) and
-- does not continue a rise reported the week before;
-- one per district and level-1 category, the strongest, so 解放街道「生态环境」 and 高新区「生态环境/固废污染」
-- are one problem. Its size and trend come from the daily counts over the data's last four weeks ($end exclusive), the
-- four weeks before and the same four weeks a year earlier (NULL when the store does not reach back that far): levels
-- 1 and 2 from daily_counts, level 3 and finer from daily_leaf_counts (every finest path under the alert's), since
-- daily_counts knows no level below 2 and a level-3 rise counted there would show 0 orders;
-- `cell` is the strongest hotspot cell of the same place and category in the snapshot, for its place name.
WITH raised AS (
  SELECT
    a.kind, a.scope_level, a.scope_name, a.category, a.level, a.score,
    coalesce(a.details->>'district', CASE WHEN a.scope_level = 'district' THEN a.scope_name END) AS district,
    CASE WHEN a.scope_level = 'street' THEN a.scope_name END                                  AS street,
    split_part(a.category, '/', 1)                                                            AS cat1
  FROM alerts a
  WHERE a.as_of > $last_start::DATE AND a.as_of <= $as_of::DATE
    AND a.scope_level IN ('street', 'district')
    AND a.kind <> 'new_topic'
    AND coalesce(TRY_CAST(a.details->>'primary' AS BOOLEAN), true)
    -- an alert that continues a rise the week before reported (details.continuing) is left out: a rise is listed by
    -- its first report, so one begun before this month is no 突发 again and cannot crowd out the month's new ones
    AND NOT coalesce(TRY_CAST(a.details->>'continuing' AS BOOLEAN), false)
),
-- the places and categories raised, once each (a place alerted in several weeks of the month is counted once)
raised_places AS (
  SELECT DISTINCT district, street, category, level FROM raised WHERE district IS NOT NULL
),
day_counts AS (
  SELECT s.district, s.street, s.category, d.day, d.n
  FROM raised_places s
  JOIN daily_counts d
    ON d.district = s.district
   AND (s.street IS NULL OR d.street = s.street)
   AND (d.cat2 = s.category OR d.cat1 = s.category)
  WHERE s.level <= 2 AND d.day >= $end::DATE - 392 AND d.day < $end::DATE
  UNION ALL
  SELECT s.district, s.street, s.category, d.day, d.n
  FROM raised_places s
  JOIN daily_leaf_counts d
    ON d.district = s.district
   AND (s.street IS NULL OR d.street = s.street)
   AND (d.category = s.category OR starts_with(d.category, s.category || '/'))
  WHERE s.level >= 3 AND d.day >= $end::DATE - 392 AND d.day < $end::DATE
),
sizes AS (
  SELECT
    district, street, category,
    coalesce(sum(n) FILTER (WHERE day >= $end::DATE - 28 AND day < $end::DATE), 0)::INTEGER       AS n_recent,
    coalesce(sum(n) FILTER (WHERE day >= $end::DATE - 56 AND day < $end::DATE - 28), 0)::INTEGER  AS n_before,
    CASE WHEN $first_day::DATE <= $end::DATE - 392 THEN
      coalesce(sum(n) FILTER (WHERE day >= $end::DATE - 392 AND day < $end::DATE - 364), 0)::INTEGER END AS n_year_ago
  FROM day_counts
  GROUP BY district, street, category
),
-- a rise that has eased is no 突发 any more: one whose last four weeks hold fewer orders than the four before and no
-- more than the same four weeks a year earlier (or the data does not reach back a year) is left out, so a trend alert
-- on a place whose peak was five to eight weeks ago cannot stand under "近几周明显高于往常" beside "较前4周回落29%"
strongest AS (
  SELECT r.*, coalesce(z.n_recent, 0) AS n_recent, coalesce(z.n_before, 0) AS n_before, z.n_year_ago
  FROM raised r
  LEFT JOIN sizes z ON z.district = r.district AND z.street IS NOT DISTINCT FROM r.street AND z.category = r.category
  WHERE r.district IS NOT NULL
    AND NOT (coalesce(z.n_recent, 0) < coalesce(z.n_before, 0)
             AND (z.n_year_ago IS NULL OR coalesce(z.n_recent, 0) <= z.n_year_ago))
  QUALIFY row_number() OVER (PARTITION BY r.district, r.cat1 ORDER BY r.score DESC, r.scope_level DESC, r.category) = 1
  ORDER BY r.score DESC, r.district, r.category
  LIMIT $limit
),
snap AS (
  SELECT max(as_of) AS as_of FROM hotspots WHERE as_of <= $as_of::DATE AND as_of > $as_of::DATE - INTERVAL 35 DAY
),
cells AS (
  SELECT s.district, s.street, s.category, h.cell, h.window_start, h.window_end
  FROM strongest s
  JOIN hotspots h ON h.district = s.district AND (s.street IS NULL OR h.street = s.street)
   AND (h.category = s.category OR split_part(h.category, '/', 1) = s.category)
  JOIN snap ON h.as_of = snap.as_of
  QUALIFY row_number() OVER (PARTITION BY s.district, s.street, s.category ORDER BY h.z DESC, h.cell) = 1
)
SELECT
  s.kind, s.scope_level, s.district, s.street, s.category, s.score, s.n_recent, s.n_before, s.n_year_ago,
  c.cell,
  strftime(c.window_start, '%Y-%m-%d') AS cell_start,
  strftime(c.window_end, '%Y-%m-%d')   AS cell_end
FROM strongest s
LEFT JOIN cells c ON c.district = s.district AND c.street IS NOT DISTINCT FROM s.street AND c.category = s.category
ORDER BY s.score DESC, s.district, s.category;
