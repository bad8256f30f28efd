-- Each distinct category path of the file, normalised once: an export has a few hundred paths over its million rows,
-- and the regular expressions below cost ten times more run on every row than the join that hands their result
-- back (typed_rows.sql). Reads the temp view ingest_mapped and the session variables ingest_sep_dirty,
-- ingest_sep_run and ingest_sep_gap (see src/ingest/mapped.ts separatorParams).
CREATE OR REPLACE TEMP TABLE ingest_cats AS
WITH paths AS (
  SELECT DISTINCT coalesce(category, '') AS raw FROM ingest_mapped
),
marked AS (
  -- a path that needs normalising: a separator other than '/', a blank, or a '/' at an end or doubled
  SELECT raw, regexp_matches(raw, getvariable('ingest_sep_dirty')) AS dirty FROM paths
),
normalised AS (
  SELECT raw,
    -- levels split by any of the mapping's separators, blanks around them and empty levels removed
    CASE WHEN NOT dirty THEN raw
         ELSE regexp_replace(regexp_replace(trim(raw), getvariable('ingest_sep_run'), '/', 'g'), '^/+|/+$', '', 'g')
    END                                                               AS category,
    -- an empty level inside the path ('城市管理//内涝积水', or an empty middle level column): closed up above, and
    -- counted so the load can warn that its later levels moved up one
    dirty AND regexp_matches(raw, getvariable('ingest_sep_gap'))      AS category_gap
  FROM marked
)
SELECT raw, category,
  split_part(category, '/', 1)                                        AS cat1,
  CASE WHEN category LIKE '%/%'
       THEN split_part(category, '/', 1) || '/' || split_part(category, '/', 2)
       ELSE category END                                              AS cat2,
  category_gap
FROM normalised;
