-- Every input row of one file, read into the canonical columns, with the first validation failure (if any): its
-- field, its reason for people and a code for programs.
-- Reads the temp view ingest_mapped (one VARCHAR per canonical column, NULL where the file has none; lon and lat may
-- be DOUBLE from a typed file) and the temp tables ingest_cats (each category path normalised, categories.sql) and
-- ingest_wgs (converted coordinates). A view, not a table: each pass reads only the columns it needs (ids.sql the
-- order ids; check.sql the failures), and the statement that writes the orders computes the rest once, straight from
-- the source. The one-row ingest_params (params.sql) stands in for the parameters a view cannot take: the salt and
-- the plausible date window.
CREATE OR REPLACE TEMP VIEW ingest_typed AS
WITH trimmed AS (
  SELECT
    _rec, _line,
    nullif(trim(order_id), '')                                        AS order_id,
    created_at                                                        AS created_in,
    c.category, c.category_levels, c.cat1, c.cat2, c.category_gap,
    -- DuckDB's trim walks every code point of a long text to find its end; a regular expression anchored at an
    -- end is matched from that end, so most contents (nothing to trim) skip the walk and the copy. Any blank at an
    -- end goes: spaces, the ideographic space, and the tabs and line breaks a web form's text is wrapped in
    -- ('\n\t\t\t\t\t\n\t\t\t\t\t　　…' in a real 留言 export), which trim() alone keeps
    CASE WHEN regexp_matches(content, '^[\s\p{Zs}]') OR regexp_matches(content, '[\s\p{Zs}]$')
         THEN nullif(regexp_replace(content, '^[\s\p{Zs}]+|[\s\p{Zs}]+$', '', 'g'), '')
         ELSE nullif(content, '') END                                 AS content,
    nullif(edge_trim(district), '')                                        AS district,
    nullif(edge_trim(street), '')                                          AS street,
    nullif(edge_trim(community), '')                                       AS community,
    nullif(edge_trim(address), '')                                         AS address,
    -- VARCHAR, or DOUBLE from a typed file (mapped.ts); cast as they are first, the trim only when that fails
    m.lon                                                             AS lon_src,
    m.lat                                                             AS lat_src,
    nullif(edge_trim(caller_hash), '')                                     AS caller_hash_given,
    phone_norm(caller_phone)                                          AS phone,
    nullif(edge_trim(channel), '')                                         AS channel,
    nullif(edge_trim(order_type), '')                                      AS order_type,
    nullif(edge_trim(dept), '')                                            AS dept,
    closed_at                                                         AS closed_in,
    nullif(edge_trim(satisfaction), '')                                    AS satisfaction,
    ingest_bool(resolved)                                             AS resolved,
    try_cast(nullif(trim(dispatch_count), '') AS INTEGER)             AS dispatch_count,
    ingest_bool(reopened)                                             AS reopened,
    w.lon                                                             AS wgs_lon,
    w.lat                                                             AS wgs_lat,
    p.salt, p.date_from, p.date_to_excl, p.city_tz, p.own_offset,
    p.name_order_id, p.name_created_at, p.name_category, p.name_content, p.name_lon, p.name_lat
  FROM ingest_mapped m
  CROSS JOIN ingest_params p
  JOIN ingest_cats c ON c.raw = coalesce(m.category, '')
  -- GCJ-02 / BD-09 input converted by to_wgs84.sql (empty for WGS-84 files)
  LEFT JOIN ingest_wgs w USING (_rec)
),
parsed AS (
  SELECT *,
    -- the exact 'YYYY-MM-DD hh:mm:ss' of nearly every export is read as it is; anything else trimmed and tried
    -- every way (the trim alone cost more than the cast)
    -- ($ts_read is ingest_ts_read, or ingest_ts_user when the mapping names formats: those are then tried first)
    $ts_read(created_in, $formats, city_tz, own_offset)               AS created_ts,
    $ts_read(closed_in, $formats, city_tz, own_offset)                AS closed_ts,
    -- (each inside a CASE, which keeps DuckDB from lifting the trim out to run on every row: see ingest_ts_read)
    CASE WHEN lon_src IS NOT NULL THEN coalesce(try_cast(lon_src AS DOUBLE), try_cast(nullif(trim(lon_src::VARCHAR), '') AS DOUBLE)) END AS lon_in,
    CASE WHEN lat_src IS NOT NULL THEN coalesce(try_cast(lat_src AS DOUBLE), try_cast(nullif(trim(lat_src::VARCHAR), '') AS DOUBLE)) END AS lat_in
  FROM trimmed
),
checked AS (
  SELECT *,
    -- an export's 0,0 means "no coordinates", not a point in the Gulf of Guinea
    (lon_in = 0 AND lat_in = 0) AS zero_point,
    CASE
      WHEN order_id IS NULL                               THEN ['order_id',   '缺少' || name_order_id, 'missing_order_id']
      -- the totals row under an office export's orders ('合计,,,2'): no order, whatever else it holds
      WHEN list_contains(['合计', '总计', '小计'], left(order_id, 2))
                                                          THEN ['order_id',   '合计行，不是工单：' || left(order_id, 40), 'total_row']
      WHEN created_ts IS NULL AND nullif(trim(created_in), '') IS NULL THEN ['created_at', '缺少' || name_created_at, 'missing_created_at']
      WHEN created_ts IS NULL                             THEN ['created_at', ingest_field_says(name_created_at, '无法识别：' || left(trim(created_in), 40)),
                                                                'unreadable_created_at']
      -- the plausible window (ingest.date_window; default 2000-01-01 up to the day after the run): a date outside
      -- it is a misread or a placeholder, and one such order would stretch every series that starts at it
      -- (早于 / 晚于 say which side: many rows after the window's end are a machine clock behind the exports)
      WHEN created_ts < date_from OR created_ts >= date_to_excl
                                                          THEN ['created_at', ingest_field_says(name_created_at,
                                                                   CASE WHEN created_ts < date_from THEN '早于' ELSE '晚于' END
                                                                || '合理日期范围（'
                                                                || strftime(date_from, '%Y-%m-%d') || ' … '
                                                                || strftime(date_to_excl - INTERVAL 1 DAY, '%Y-%m-%d')
                                                                || '）：' || left(trim(created_in), 40)),
                                                                CASE WHEN created_ts < date_from THEN 'created_before_window'
                                                                     ELSE 'created_after_window' END]
      WHEN category = ''                                  THEN ['category',   ingest_field_says(name_category, '为空'), 'missing_category']
      WHEN content IS NULL                                THEN ['content',    ingest_field_says(name_content, '为空'), 'missing_content']
      WHEN lon_in IS NULL AND nullif(trim(lon_src::VARCHAR), '') IS NOT NULL
                                                          THEN ['lon',        ingest_field_says(name_lon, '不是数字：' || left(trim(lon_src::VARCHAR), 40)), 'lon_not_number']
      WHEN lat_in IS NULL AND nullif(trim(lat_src::VARCHAR), '') IS NOT NULL
                                                          THEN ['lat',        ingest_field_says(name_lat, '不是数字：' || left(trim(lat_src::VARCHAR), 40)), 'lat_not_number']
      WHEN (lon_in IS NULL) <> (lat_in IS NULL)           THEN [CASE WHEN lon_in IS NULL THEN 'lon' ELSE 'lat' END, '经纬度只有一个（lon/lat 须同时给出）',
                                                                'coords_incomplete']
      WHEN NOT isfinite(lon_in) OR lon_in NOT BETWEEN -180 AND 180 THEN ['lon', ingest_field_says(name_lon, '超出 [-180, 180]：' || trim(lon_src::VARCHAR)),
                                                                        'lon_out_of_range']
      WHEN NOT isfinite(lat_in) OR lat_in NOT BETWEEN -90 AND 90   THEN ['lat', ingest_field_says(name_lat, '超出 [-90, 90]：' || trim(lat_src::VARCHAR)),
                                                                        'lat_out_of_range']
      WHEN contains(content, '�') OR contains(category, '�') OR contains(coalesce(address, ''), '�')
                                                          THEN ['content', '编码错误（有无法解码的字节）', 'bad_encoding']
    END AS failure
  FROM parsed
),
final AS (
  SELECT
    _rec, _line,
    failure[1] AS field,
    failure[2] AS reason,
    -- a machine code for the reason (sql/schema/0011_quarantine_reason_code.sql lists them)
    failure[3] AS reason_code,
    order_id,
    created_ts                                                        AS created_at,
    category,
    category_levels,
    cat1, cat2,
    mask_pii(content)                                                 AS content,
    district, street, community,
    mask_pii(address)                                                 AS address,
    CASE WHEN NOT zero_point THEN round(coalesce(wgs_lon, lon_in), 7) END AS lon,
    CASE WHEN NOT zero_point THEN round(coalesce(wgs_lat, lat_in), 7) END AS lat,
    coalesce(CASE WHEN phone IS NOT NULL THEN sha256(salt || phone) END, caller_hash_given) AS caller_hash,
    channel, order_type, dept,
    -- a closed_at outside the plausible window is dropped (the order itself is sound) and counted for a warning
    CASE WHEN closed_ts >= date_from AND closed_ts < date_to_excl THEN closed_ts END AS closed_at,
    satisfaction, resolved, dispatch_count, reopened,
    -- (a CASE, not AND: only the rows without a closed_at reach the trim)
    CASE WHEN closed_ts IS NOT NULL THEN false ELSE nullif(trim(closed_in), '') IS NOT NULL END AS closed_unreadable,
    coalesce(closed_ts < date_from OR closed_ts >= date_to_excl, false) AS closed_outside,
    -- a closed_at may be written (ids.sql counts these without parsing them): every written one is stored,
    -- unreadable or outside the window; a value of blanks counts too (it is none of the three, so the count then
    -- differs and the column is parsed: correct, the slower way). Not trim(): the trim of every value cost the ids
    -- pass 0.15 CPU-s per 1M rows, more than the parse it saves.
    coalesce(closed_in <> '', false)                                  AS closed_given,
    category_gap
  FROM checked
)
-- (classify.sql hashes a stored order with the same fields in the same order)
SELECT *,
  hash(order_id, created_at, category, content, district, street, community, address, lon, lat, caller_hash,
       channel, order_type, dept, closed_at, satisfaction, resolved, dispatch_count, reopened,
       -- the level names too: a path read again from level columns ('HEAT/HOT WATER' whole) is an update
       category_levels) AS row_hash
FROM final;
