-- The place stage's answer, computed the plain way for tests: one row per order, every order resolved by itself
-- (no batches, no distinct combinations), from points found by h3-js and turf directly (ref_points). This is the
-- stage's name resolution as it was before the fast path; the place test checks the stage against it.
WITH
units AS (
  SELECT u.level, u.idx, u.name, kn.key, kp.key AS parent_key
  FROM ref_units u
  LEFT JOIN ref_keys kn ON kn.name = u.name
  LEFT JOIN ref_keys kp ON kp.name = u.parent
),
by_point AS (
  SELECT
    t.k, t.order_id, t.seq, t.coords, t.district AS district_given, t.street AS street_given, t.community AS community_given,
    p.cell, d.name AS district_pt, s.name AS street_pt, c.name AS community_pt, g.name AS grid_pt,
    (p.d >= 0 OR p.s >= 0 OR p.c >= 0 OR p.g >= 0) IS TRUE AS inside_any
  FROM ref_todo t
  LEFT JOIN ref_points p USING (k)
  LEFT JOIN units d ON d.level = 'districts'   AND d.idx = p.d
  LEFT JOIN units s ON s.level = 'streets'     AND s.idx = p.s
  LEFT JOIN units c ON c.level = 'communities' AND c.idx = p.c
  LEFT JOIN units g ON g.level = 'grids'       AND g.idx = p.g
),
-- only orders with a level their point did not settle, and a name to try for it
needs_names AS (
  SELECT k, district_pt, street_pt, community_pt, district_given, street_given, community_given
  FROM by_point
  WHERE (district_pt IS NULL AND district_given IS NOT NULL)
     OR (street_pt IS NULL AND street_given IS NOT NULL)
     OR (community_pt IS NULL AND community_given IS NOT NULL)
),
district_by_name AS (
  SELECT n.k, arg_min(u.name, u.idx) AS name
  FROM needs_names n
  JOIN ref_keys kg ON kg.name = n.district_given
  JOIN units u ON u.level = 'districts' AND u.key = kg.key
  WHERE n.district_pt IS NULL
  GROUP BY n.k
),
with_district AS (
  SELECT n.*, dn.name AS district_nm, kd.key AS district_key
  FROM needs_names n
  LEFT JOIN district_by_name dn USING (k)
  LEFT JOIN ref_keys kd ON kd.name = COALESCE(n.district_pt, dn.name, n.district_given)
),
street_by_name AS (
  SELECT w.k, arg_min(u.name, (CASE WHEN u.parent_key = w.district_key THEN 0 ELSE 1 END) * 1000000 + u.idx) AS name
  FROM with_district w
  JOIN ref_keys kg ON kg.name = w.street_given
  JOIN units u ON u.level = 'streets' AND u.key = kg.key
  WHERE w.street_pt IS NULL
  GROUP BY w.k
),
with_street AS (
  SELECT w.*, sn.name AS street_nm, ks.key AS street_key
  FROM with_district w
  LEFT JOIN street_by_name sn USING (k)
  LEFT JOIN ref_keys ks ON ks.name = COALESCE(w.street_pt, sn.name, w.street_given)
),
community_by_name AS (
  SELECT w.k, arg_min(u.name, (CASE WHEN u.parent_key = w.street_key THEN 0 ELSE 1 END) * 1000000 + u.idx) AS name
  FROM with_street w
  JOIN ref_keys kg ON kg.name = w.community_given
  JOIN units u ON u.level = 'communities' AND u.key = kg.key
  WHERE w.community_pt IS NULL
  GROUP BY w.k
),
by_name AS (
  SELECT w.k, w.district_nm, w.street_nm, cn.name AS community_nm
  FROM with_street w LEFT JOIN community_by_name cn USING (k)
),
resolved AS (
  SELECT
    b.*, n.district_nm, n.street_nm, n.community_nm,
    -- a level with no boundary file keeps the order's own (trimmed) name
    CASE WHEN NOT $has_districts   THEN nullif(trim(b.district_given), '')  END AS district_raw,
    -- a street written as its office (望京街道办事处) is the street (望京街道): the rule written out, not the stage's macro
    CASE WHEN NOT $has_streets
         THEN nullif(regexp_replace(trim(b.street_given), '(街道|地区)办事处$', '\1'), '') END AS street_raw,
    CASE WHEN NOT $has_communities THEN nullif(trim(b.community_given), '') END AS community_raw
  FROM by_point b LEFT JOIN by_name n USING (k)
)
SELECT
  order_id,
  cell,
  grid_pt                                                   AS grid_id,
  COALESCE(district_pt,  district_nm,  district_raw)        AS district,
  COALESCE(street_pt,    street_nm,    street_raw)          AS street,
  COALESCE(community_pt, community_nm, community_raw)       AS community,
  CASE
    WHEN inside_any THEN 'point'
    WHEN COALESCE(district_nm, street_nm, community_nm, district_raw, street_raw, community_raw) IS NOT NULL THEN 'name'
    ELSE 'none'
  END                                                       AS match,
  CASE
    WHEN coords <> 'ok' THEN coords
    WHEN NOT $has_boundaries THEN 'unchecked'
    WHEN inside_any THEN 'inside'
    ELSE 'outside'
  END                                                       AS coord_status,
  seq
FROM resolved;
