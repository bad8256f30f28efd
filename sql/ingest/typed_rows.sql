-- Every input row of one file, read into the canonical columns, with the first validation failure (if any).
-- Reads the temp view ingest_mapped and ingest_wgs (one VARCHAR per canonical column, NULL where the file has none).
-- A view, not a table: each pass reads only the columns it needs (ids.sql the order ids; check.sql the failures), and
-- the statement that writes the orders computes the rest once, straight from the source. Session variables (set by the caller) stand in for parameters,
-- which a view cannot take: ingest_sep_dirty, ingest_sep_run, ingest_sep_gap, ingest_salt.
CREATE OR REPLACE TEMP VIEW ingest_typed AS
WITH marked AS (
  -- a path that needs normalising: a separator other than '/', a blank, or a '/' at an end or doubled. One
  -- regular-expression class test (a translate() per row cost five times as much and ran in the ids pass too)
  -- keeps the two replacements below off the paths that are clean already.
  SELECT *, regexp_matches(coalesce(category, ''), getvariable('ingest_sep_dirty')) AS cat_dirty
  FROM ingest_mapped
),
trimmed AS (
  SELECT
    _rec, _line,
    nullif(trim(order_id), '')                                        AS order_id,
    nullif(trim(created_at), '')                                      AS created_raw,
    -- levels split by any of the mapping's separators, blanks around them and empty levels removed
    CASE WHEN NOT cat_dirty
         THEN coalesce(category, '')
         ELSE regexp_replace(regexp_replace(trim(category), getvariable('ingest_sep_run'), '/', 'g'), '^/+|/+$', '', 'g')
    END                                                               AS category,
    -- an empty level inside the path ('城市管理//内涝积水', or an empty middle level column): closed up above, and
    -- counted so the load can warn that its later levels moved up one
    cat_dirty AND coalesce(regexp_matches(category, getvariable('ingest_sep_gap')), false) AS category_gap,
    nullif(trim(content), '')                                         AS content,
    nullif(trim(district), '')                                        AS district,
    nullif(trim(street), '')                                          AS street,
    nullif(trim(community), '')                                       AS community,
    nullif(trim(address), '')                                         AS address,
    nullif(trim(m.lon), '')                                           AS lon_raw,
    nullif(trim(m.lat), '')                                           AS lat_raw,
    nullif(trim(caller_hash), '')                                     AS caller_hash_given,
    phone_norm(caller_phone)                                          AS phone,
    nullif(trim(channel), '')                                         AS channel,
    nullif(trim(order_type), '')                                      AS order_type,
    nullif(trim(dept), '')                                            AS dept,
    nullif(trim(closed_at), '')                                       AS closed_raw,
    nullif(trim(satisfaction), '')                                    AS satisfaction,
    ingest_bool(resolved)                                             AS resolved,
    try_cast(nullif(trim(dispatch_count), '') AS INTEGER)             AS dispatch_count,
    ingest_bool(reopened)                                             AS reopened,
    w.lon                                                             AS wgs_lon,
    w.lat                                                             AS wgs_lat
  FROM marked m
  -- GCJ-02 / BD-09 input converted by to_wgs84.sql (empty for WGS-84 files)
  LEFT JOIN ingest_wgs w USING (_rec)
),
parsed AS (
  SELECT *,
    ingest_ts_clean(created_raw, $formats)                            AS created_ts,
    ingest_ts_clean(closed_raw, $formats)                             AS closed_ts,
    try_cast(lon_raw AS DOUBLE)                                       AS lon_in,
    try_cast(lat_raw AS DOUBLE)                                       AS lat_in
  FROM trimmed
),
checked AS (
  SELECT *,
    -- an export's 0,0 means "no coordinates", not a point in the Gulf of Guinea
    (lon_in = 0 AND lat_in = 0) AS zero_point,
    CASE
      WHEN order_id IS NULL                               THEN ['order_id',   'missing order_id']
      WHEN created_raw IS NULL                            THEN ['created_at', 'missing created_at']
      WHEN created_ts IS NULL                             THEN ['created_at', 'unparseable created_at: ' || left(created_raw, 40)]
      WHEN year(created_ts) NOT BETWEEN 1990 AND 2100     THEN ['created_at', 'created_at out of range: ' || left(created_raw, 40)]
      WHEN category = ''                                  THEN ['category',   'empty category']
      WHEN content IS NULL                                THEN ['content',    'empty content']
      WHEN lon_raw IS NOT NULL AND lon_in IS NULL         THEN ['lon',        'lon is not a number: ' || left(lon_raw, 40)]
      WHEN lat_raw IS NOT NULL AND lat_in IS NULL         THEN ['lat',        'lat is not a number: ' || left(lat_raw, 40)]
      WHEN (lon_in IS NULL) <> (lat_in IS NULL)           THEN [CASE WHEN lon_in IS NULL THEN 'lon' ELSE 'lat' END, 'only one of lon/lat given']
      WHEN NOT isfinite(lon_in) OR lon_in NOT BETWEEN -180 AND 180 THEN ['lon', 'lon out of range [-180, 180]: ' || lon_raw]
      WHEN NOT isfinite(lat_in) OR lat_in NOT BETWEEN -90 AND 90   THEN ['lat', 'lat out of range [-90, 90]: ' || lat_raw]
      WHEN contains(content, '�') OR contains(category, '�') OR contains(coalesce(address, ''), '�')
                                                          THEN ['content', 'bad encoding (undecodable bytes)']
    END AS failure
  FROM parsed
),
final AS (
  SELECT
    _rec, _line,
    failure[1] AS field,
    failure[2] AS reason,
    order_id,
    created_ts                                                        AS created_at,
    category,
    split_part(category, '/', 1)                                      AS cat1,
    CASE WHEN category LIKE '%/%'
         THEN split_part(category, '/', 1) || '/' || split_part(category, '/', 2)
         ELSE category END                                            AS cat2,
    mask_pii(content)                                                 AS content,
    district, street, community,
    mask_pii(address)                                                 AS address,
    CASE WHEN NOT zero_point THEN round(coalesce(wgs_lon, lon_in), 7) END AS lon,
    CASE WHEN NOT zero_point THEN round(coalesce(wgs_lat, lat_in), 7) END AS lat,
    coalesce(CASE WHEN phone IS NOT NULL THEN sha256(getvariable('ingest_salt') || phone) END, caller_hash_given) AS caller_hash,
    channel, order_type, dept,
    closed_ts                                                         AS closed_at,
    satisfaction, resolved, dispatch_count, reopened,
    (closed_raw IS NOT NULL AND closed_ts IS NULL)                    AS closed_unreadable,
    category_gap
  FROM checked
)
SELECT *,
  hash(order_id, created_at, category, content, district, street, community, address, lon, lat, caller_hash,
       channel, order_type, dept, closed_at, satisfaction, resolved, dispatch_count, reopened) AS row_hash
FROM final;
