-- Resolve one batch of pending orders (orders.rowid in [$lo, $hi], seq above the mark): the polygon that holds its
-- point wins; a level the point does not settle falls back to the name the order carries, matched to a boundary of
-- that level (a street preferring one inside the order's district). A level without boundaries keeps the order's own
-- name. Most orders need no name lookup (every level with boundaries settled by the point, or no name given for it):
-- their places come from integer joins alone. The others are resolved once per distinct combination of coordinate
-- status, polygon per level and names (a few hundred per batch), then joined back.
INSERT INTO order_places (order_id, cell, grid_id, district, street, community, match, coord_status, seq)
WITH
-- materialized: the orders are scanned and joined to their points once, then split in two
batch AS MATERIALIZED (
  SELECT
    o.order_id, o.seq, o.district, o.street, o.community,
    -- a point that names no place (a geocoder's default, far from the city) counts as no coordinates
    CASE WHEN ph.lon IS NOT NULL THEN 'placeholder' ELSE place_coords(o.lon, o.lat) END AS coords, p.cell_id,
    COALESCE(p.d, -1) AS d, COALESCE(p.s, -1) AS s, COALESCE(p.c, -1) AS c, COALESCE(p.g, -1) AS g,
    -- a level with boundaries that the point did not settle, and a name to look up for it
    ($has_districts AND COALESCE(p.d, -1) < 0 AND o.district IS NOT NULL)
      OR ($has_streets AND COALESCE(p.s, -1) < 0 AND o.street IS NOT NULL)
      OR ($has_communities AND COALESCE(p.c, -1) < 0 AND o.community IS NOT NULL) AS lookup
  FROM orders o
  LEFT JOIN place_points p ON p.k = o.rowid
  LEFT JOIN place_placeholders ph ON ph.lon = o.lon AND ph.lat = o.lat
  WHERE o.rowid BETWEEN $lo::BIGINT AND $hi::BIGINT
    AND (o.seq > $mark OR EXISTS (SELECT 1 FROM place_redo r WHERE r.lon = o.lon AND r.lat = o.lat))
),
units AS (
  SELECT u.level, u.idx, u.name, kn.key, kp.key AS parent_key
  FROM place_units u
  LEFT JOIN place_unit_keys kn ON kn.name = u.name
  LEFT JOIN place_unit_keys kp ON kp.name = u.parent
),
-- no lookup: the point's polygons, and a level without boundaries keeps the order's own (trimmed) name
direct AS (
  SELECT
    b.*, g.name AS grid_id,
    COALESCE(d.name, CASE WHEN NOT $has_districts   THEN nullif(trim(b.district), '')  END) AS district_place,
    COALESCE(s.name, CASE WHEN NOT $has_streets     THEN street_as_given(b.street)     END) AS street_place,
    COALESCE(c.name, CASE WHEN NOT $has_communities THEN nullif(trim(b.community), '') END) AS community_place,
    (b.d >= 0 OR b.s >= 0 OR b.c >= 0 OR b.g >= 0) AS inside_any
  FROM batch b
  LEFT JOIN units d ON d.level = 'districts'   AND d.idx = b.d
  LEFT JOIN units s ON s.level = 'streets'     AND s.idx = b.s
  LEFT JOIN units c ON c.level = 'communities' AND c.idx = b.c
  LEFT JOIN units g ON g.level = 'grids'       AND g.idx = b.g
  WHERE NOT b.lookup
),
direct_places AS (
  SELECT
    order_id, cell_id, grid_id, district_place, street_place, community_place,
    CASE
      WHEN inside_any THEN 'point'
      WHEN COALESCE(district_place, street_place, community_place) IS NOT NULL THEN 'name'
      ELSE 'none'
    END AS match,
    CASE
      WHEN coords <> 'ok' THEN coords
      WHEN NOT $has_boundaries THEN 'unchecked'
      WHEN inside_any THEN 'inside'
      ELSE 'outside'
    END AS coord_status,
    seq
  FROM direct
),
-- lookup: once per distinct combination
combos AS (
  SELECT row_number() OVER () AS k, *
  FROM (SELECT DISTINCT coords, d, s, c, g, district, street, community FROM batch WHERE lookup)
),
place_keys AS (
  SELECT name, key FROM place_unit_keys
  UNION
  SELECT name, place_key(name)
  FROM (SELECT district AS name FROM combos UNION SELECT street FROM combos UNION SELECT community FROM combos)
  WHERE name IS NOT NULL
),
by_point AS (
  SELECT
    m.k, m.coords, m.district AS district_given, m.street AS street_given, m.community AS community_given,
    d.name AS district_pt, s.name AS street_pt, c.name AS community_pt, g.name AS grid_pt,
    (m.d >= 0 OR m.s >= 0 OR m.c >= 0 OR m.g >= 0) AS inside_any
  FROM combos m
  LEFT JOIN units d ON d.level = 'districts'   AND d.idx = m.d
  LEFT JOIN units s ON s.level = 'streets'     AND s.idx = m.s
  LEFT JOIN units c ON c.level = 'communities' AND c.idx = m.c
  LEFT JOIN units g ON g.level = 'grids'       AND g.idx = m.g
),
-- only combinations with a level their point did not settle, and a name to try for it
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
  JOIN place_keys kg ON kg.name = n.district_given
  JOIN units u ON u.level = 'districts' AND u.key = kg.key
  WHERE n.district_pt IS NULL
  GROUP BY n.k
),
with_district AS (
  SELECT n.*, dn.name AS district_nm, kd.key AS district_key
  FROM needs_names n
  LEFT JOIN district_by_name dn USING (k)
  LEFT JOIN place_keys kd ON kd.name = COALESCE(n.district_pt, dn.name, n.district_given)
),
street_by_name AS (
  SELECT w.k, arg_min(u.name, (CASE WHEN u.parent_key = w.district_key THEN 0 ELSE 1 END) * 1000000 + u.idx) AS name
  FROM with_district w
  JOIN place_keys kg ON kg.name = w.street_given
  JOIN units u ON u.level = 'streets' AND u.key = kg.key
  WHERE w.street_pt IS NULL
  GROUP BY w.k
),
with_street AS (
  SELECT w.*, sn.name AS street_nm, ks.key AS street_key
  FROM with_district w
  LEFT JOIN street_by_name sn USING (k)
  LEFT JOIN place_keys ks ON ks.name = COALESCE(w.street_pt, sn.name, w.street_given)
),
community_by_name AS (
  SELECT w.k, arg_min(u.name, (CASE WHEN u.parent_key = w.street_key THEN 0 ELSE 1 END) * 1000000 + u.idx) AS name
  FROM with_street w
  JOIN place_keys kg ON kg.name = w.community_given
  JOIN units u ON u.level = 'communities' AND u.key = kg.key
  WHERE w.community_pt IS NULL
  GROUP BY w.k
),
by_name AS (
  SELECT w.k, w.district_nm, w.street_nm, cn.name AS community_nm
  FROM with_street w LEFT JOIN community_by_name cn USING (k)
),
named AS (
  SELECT
    b.*, n.district_nm, n.street_nm, n.community_nm,
    -- a level with no boundary file keeps the order's own (trimmed) name (a street's office as the street)
    CASE WHEN NOT $has_districts   THEN nullif(trim(b.district_given), '')  END AS district_raw,
    CASE WHEN NOT $has_streets     THEN street_as_given(b.street_given)    END AS street_raw,
    CASE WHEN NOT $has_communities THEN nullif(trim(b.community_given), '') END AS community_raw
  FROM by_point b LEFT JOIN by_name n USING (k)
),
resolved AS (
  SELECT
    m.coords, m.d, m.s, m.c, m.g, m.district, m.street, m.community,
    grid_pt                                                   AS grid_id,
    COALESCE(district_pt,  district_nm,  district_raw)        AS district_place,
    COALESCE(street_pt,    street_nm,    street_raw)          AS street_place,
    COALESCE(community_pt, community_nm, community_raw)       AS community_place,
    CASE
      WHEN inside_any THEN 'point'
      WHEN COALESCE(district_nm, street_nm, community_nm, district_raw, street_raw, community_raw) IS NOT NULL THEN 'name'
      ELSE 'none'
    END                                                       AS match,
    CASE
      WHEN m.coords <> 'ok' THEN m.coords
      WHEN NOT $has_boundaries THEN 'unchecked'
      WHEN inside_any THEN 'inside'
      ELSE 'outside'
    END                                                       AS coord_status
  FROM named r JOIN combos m USING (k)
),
looked_up AS (
  SELECT b.order_id, b.cell_id, r.grid_id, r.district_place, r.street_place, r.community_place, r.match, r.coord_status, b.seq
  FROM batch b
  JOIN resolved r
    ON  r.coords = b.coords AND r.d = b.d AND r.s = b.s AND r.c = b.c AND r.g = b.g
    AND r.district IS NOT DISTINCT FROM b.district
    AND r.street IS NOT DISTINCT FROM b.street
    AND r.community IS NOT DISTINCT FROM b.community
  WHERE b.lookup
)
SELECT p.order_id, pc.cell, p.grid_id, p.district_place, p.street_place, p.community_place, p.match, p.coord_status, p.seq
FROM (SELECT * FROM direct_places UNION ALL SELECT * FROM looked_up) p
LEFT JOIN place_cells pc ON pc.cell_id = p.cell_id;
