-- Set-up for placing the orders the stage has not seen in their current version (orders.seq above the mark). The
-- pending orders are not copied: batches are ranges of orders.rowid, read in place (place_batches.sql).

-- Whether an order's coordinates can be placed: 'ok', else 'missing' or 'invalid' (out of range, not finite, or 0,0).
CREATE OR REPLACE TEMP MACRO place_coords(lon, lat) AS
  CASE
    WHEN lon IS NULL OR lat IS NULL THEN 'missing'
    WHEN NOT (isfinite(lon) AND isfinite(lat)) OR abs(lon) > 180 OR abs(lat) > 90 OR (lon = 0 AND lat = 0) THEN 'invalid'
    ELSE 'ok'
  END;

-- A street name as an order gives it, for a city without street boundaries: trimmed, and a street written as its
-- office (三里屯街道办事处, 东坝地区办事处) is the street itself (三里屯街道, 东坝地区) — an export that mixes the two
-- spellings otherwise counts one street as two places. A bare name (三里屯) is left alone: 城关 may be a 镇 or a 街道.
CREATE OR REPLACE TEMP MACRO street_as_given(s) AS
  CASE WHEN contains(s, '办事处') THEN nullif(regexp_replace(trim(s), '(街道|地区)办事处$', '\1'), '')
       ELSE nullif(trim(s), '') END;

-- A name reduced to what people vary least on: no spaces, no administrative suffix (朝阳区 = 朝阳, 望京街道 = 望京).
CREATE OR REPLACE TEMP MACRO place_unsuffix(s) AS
  regexp_replace(s, '(街道办事处|办事处|街道办|街道|社区居民委员会|居民委员会|社区居委会|居委会|村民委员会|村委会|社区|地区|新区|区|县|市|镇|乡|村)$', '');

-- Two suffixes come off, not one: a street named 西区 is written 西区街道 as often as 西区, and a district 南沙镇区 as
-- 南沙镇 (中山's 东区/西区/南区/石岐区 matched nothing in an audit). A name that is nothing but suffixes keeps one.
CREATE OR REPLACE TEMP MACRO place_key(s) AS
  nullif(coalesce(
    nullif(place_unsuffix(place_unsuffix(regexp_replace(nfc_normalize(trim(s)), '[\s　]+', '', 'g'))), ''),
    place_unsuffix(regexp_replace(nfc_normalize(trim(s)), '[\s　]+', '', 'g'))), '');

-- what the JS pass found per point (k = orders.rowid): H3 cell id (names in place_cells) and feature position per
-- level, -1 = none. Holds one batch at a time.
-- points that became or stopped being placeholders this run: their earlier orders are placed again
CREATE OR REPLACE TEMP TABLE place_redo (lon DOUBLE, lat DOUBLE);
CREATE OR REPLACE TEMP TABLE place_points (k BIGINT, cell_id INTEGER, d INTEGER, s INTEGER, c INTEGER, g INTEGER);
CREATE OR REPLACE TEMP TABLE place_cells (cell_id INTEGER, cell VARCHAR);
CREATE OR REPLACE TEMP TABLE place_units (level VARCHAR, idx INTEGER, name VARCHAR, parent VARCHAR);
