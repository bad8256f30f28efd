-- Coordinates declared GCJ-02 or BD-09 by the mapping, converted to WGS-84 (ingest_wgs: _rec, lon, lat).
-- BD-09 → GCJ-02 is closed form. GCJ-02 → WGS-84 has no closed inverse: three fixed-point steps w = g − d(w)
-- bring it far under a metre. Each step is materialised so the optimizer does not fold the steps back into one
-- exponentially large expression. Outside China GCJ-02 is WGS-84.
CREATE OR REPLACE TEMP TABLE ingest_wgs AS
WITH input AS MATERIALIZED (
  SELECT _rec, try_cast(trim(lon::VARCHAR) AS DOUBLE) AS x, try_cast(trim(lat::VARCHAR) AS DOUBLE) AS y
  FROM ingest_mapped
  WHERE try_cast(trim(lon::VARCHAR) AS DOUBLE) IS NOT NULL AND try_cast(trim(lat::VARCHAR) AS DOUBLE) IS NOT NULL
),
gcj AS MATERIALIZED (
  SELECT _rec,
    CASE WHEN $coords = 'bd09' THEN bd_gcj_z(x - 0.0065, y - 0.006) * cos(bd_gcj_t(x - 0.0065, y - 0.006)) ELSE x END AS glon,
    CASE WHEN $coords = 'bd09' THEN bd_gcj_z(x - 0.0065, y - 0.006) * sin(bd_gcj_t(x - 0.0065, y - 0.006)) ELSE y END AS glat
  FROM input
  WHERE x BETWEEN -180 AND 180 AND y BETWEEN -90 AND 90 AND NOT (x = 0 AND y = 0)
),
step1 AS MATERIALIZED (
  SELECT _rec, glon, glat, glon - gcj_dlon(glon, glat) AS wlon, glat - gcj_dlat(glon, glat) AS wlat FROM gcj
),
step2 AS MATERIALIZED (
  SELECT _rec, glon, glat, glon - gcj_dlon(wlon, wlat) AS wlon, glat - gcj_dlat(wlon, wlat) AS wlat FROM step1
),
step3 AS MATERIALIZED (
  SELECT _rec, glon, glat, glon - gcj_dlon(wlon, wlat) AS wlon, glat - gcj_dlat(wlon, wlat) AS wlat FROM step2
)
SELECT _rec,
  CASE WHEN in_china(glon, glat) THEN wlon ELSE glon END AS lon,
  CASE WHEN in_china(glon, glat) THEN wlat ELSE glat END AS lat
FROM step3;
