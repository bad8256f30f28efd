-- When each point named no place, for every as-of (run after place_placeholders.sql, from its ph_point_orders): a
-- point is a placeholder for an as-of only on the evidence of the orders created before that as-of (CONTRACT §2:
-- loading later orders must not change what a past as-of says). The shared rule of place_placeholders.sql is
-- evaluated after each day on which the point got orders, on the orders up to and including that day (an as-of the
-- next day sees them), with running sums per point, level and name: a name's running count only grows, so the largest
-- of them on a day is the running maximum of all of them. Stretches of days on which the rule holds become rows.
-- outside_box: judged against today's box (from every order), from the point's first order on: see docs/spatial.md.
DELETE FROM place_placeholder_spans;

INSERT INTO place_placeholder_spans (lon, lat, reason, since, until)
WITH
busy AS (
  SELECT lon, lat FROM ph_point_orders GROUP BY lon, lat HAVING sum(k) >= $min_orders
),
busy_orders AS (
  SELECT o.* FROM ph_point_orders o SEMI JOIN busy b ON o.lon = b.lon AND o.lat = b.lat
),
-- orders at the point up to and including each day it got any
point_days AS (
  SELECT lon, lat, day, sum(sum(k)) OVER (PARTITION BY lon, lat ORDER BY day) AS n
  FROM busy_orders
  GROUP BY lon, lat, day
),
day_names AS (
  SELECT lon, lat, day, 'district' AS level, place_key(district) AS name, k FROM busy_orders
  UNION ALL
  SELECT lon, lat, day, 'street' AS level, place_key(street) AS name, k FROM busy_orders
),
name_days AS (
  SELECT lon, lat, level, name, day, sum(k) AS k
  FROM day_names
  WHERE name IS NOT NULL
  GROUP BY ALL
),
-- a name's orders up to each day, and whether the day is its first
name_running AS (
  SELECT
    lon, lat, level, day, k,
    sum(k) OVER (PARTITION BY lon, lat, level, name ORDER BY day) AS upto,
    day = min(day) OVER (PARTITION BY lon, lat, level, name) AS first_day
  FROM name_days
),
level_days AS (
  SELECT lon, lat, level, day, sum(k) AS named_day, count_if(first_day) AS new_names, max(upto) AS top_day
  FROM name_running
  GROUP BY ALL
),
-- per level, after each day with a name: orders naming one, distinct names, the most frequent name's orders
level_running AS (
  SELECT
    lon, lat, level, day,
    sum(named_day) OVER w AS named, sum(new_names) OVER w AS names, max(top_day) OVER w AS top
  FROM level_days
  WINDOW w AS (PARTITION BY lon, lat, level ORDER BY day)
),
level_ok AS (
  SELECT lon, lat, level, day, named * 2 >= $min_orders AND names >= $min_names AND top / named <= $max_top_share AS ok
  FROM level_running
),
district_ok AS (SELECT lon, lat, day, ok FROM level_ok WHERE level = 'district'),
street_ok AS (SELECT lon, lat, day, ok FROM level_ok WHERE level = 'street'),
-- the rule after each of the point's days (a level keeps its state from its last day with a name)
holds AS (
  SELECT p.lon, p.lat, p.day, p.n >= $min_orders AND (COALESCE(d.ok, false) OR COALESCE(s.ok, false)) AS holds
  FROM point_days p
  ASOF LEFT JOIN district_ok d ON d.lon = p.lon AND d.lat = p.lat AND p.day >= d.day
  ASOF LEFT JOIN street_ok s ON s.lon = p.lon AND s.lat = p.lat AND p.day >= s.day
),
changes AS (
  SELECT lon, lat, day, holds
  FROM holds
  QUALIFY holds <> lag(holds, 1, false) OVER (PARTITION BY lon, lat ORDER BY day)
),
-- the as-of after a change's day is the first to see it
stretches AS (
  SELECT lon, lat, holds, day + 1 AS since, lead(day + 1) OVER (PARTITION BY lon, lat ORDER BY day) AS until
  FROM changes
),
far AS (
  SELECT o.lon, o.lat, min(o.day) + 1 AS since
  FROM ph_point_orders o SEMI JOIN ph_outside f ON o.lon = f.lon AND o.lat = f.lat
  GROUP BY o.lon, o.lat
)
SELECT lon, lat, 'shared', since, until FROM stretches WHERE holds
UNION ALL
SELECT lon, lat, 'outside_box', since, NULL FROM far;

-- today's points: the first as-of of their open stretch
UPDATE place_placeholders p
SET since = s.since
FROM (
  SELECT lon, lat, min(since) AS since FROM place_placeholder_spans WHERE until IS NULL GROUP BY lon, lat
) s
WHERE s.lon = p.lon AND s.lat = p.lat;

DROP TABLE ph_point_orders;
DROP TABLE ph_outside;
