-- Each distinct category path of the file, normalised once: an export has a few hundred paths over its million rows,
-- and the regular expressions below cost ten times more run on every row than the join that hands their result
-- back (typed_rows.sql). Reads the temp view ingest_mapped and the mapping's separator patterns sep_dirty, sep_run
-- and sep_gap from the one-row ingest_params (params.sql; see src/ingest/mapped.ts separatorParams).
CREATE OR REPLACE TEMP TABLE ingest_cats AS
WITH paths AS (
  SELECT DISTINCT coalesce(category, '') AS raw FROM ingest_mapped
),
marked AS (
  -- a path that needs normalising: a separator other than '/', a blank, or a '/' at an end or doubled
  SELECT raw, regexp_matches(raw, p.sep_dirty) AS dirty, p.sep_run, p.sep_gap, p.sep_spaced_run,
    regexp_matches(raw, p.sep_spaced)                                 AS spaced,
    regexp_matches(raw, p.sep_run)                                    AS separated
  FROM paths CROSS JOIN ingest_params p
),
spacing AS (
  -- a file that writes a blank on both sides of every separator ('Müll/Sauberkeit > Illegaler Müll', on each of its
  -- paths that has more than one level) splits there only: a bare '/' in it is part of a name, as in 'Müll/Sauberkeit'
  SELECT count(*) FILTER (WHERE spaced) > 0 AND count(*) FILTER (WHERE separated AND NOT spaced) = 0 AS spaced_file
  FROM marked WHERE NOT starts_with(raw, chr(31))
),
from_columns AS (
  -- levels from the mapping's level columns (mapped.ts joins them with U+001F and marks the start with one): each
  -- name kept whole, '/' or '>' inside it included ('HEAT/HOT WATER' is one NYC complaint type); empty levels dropped
  SELECT raw,
    list_filter(string_split(raw[2:], chr(31)), x -> x <> '')         AS levels,
    regexp_matches(raw, '[^\x1f]\x1f\x1f+[^\x1f]')                    AS category_gap
  FROM marked WHERE starts_with(raw, chr(31))
),
spaced_path AS (
  -- levels of such a file, split at its blank-flanked separators only, each name trimmed and kept whole
  SELECT raw,
    list_filter(list_transform(regexp_split_to_array(' ' || raw || ' ', sep_spaced_run), x -> trim(x)), x -> x <> '') AS levels,
    regexp_matches(raw, sep_gap)                                      AS category_gap
  FROM marked CROSS JOIN spacing WHERE spaced_file AND NOT starts_with(raw, chr(31))
),
from_path AS (
  SELECT raw,
    -- levels split by any of the mapping's separators, blanks around them and empty levels removed
    CASE WHEN NOT dirty THEN raw
         ELSE regexp_replace(regexp_replace(trim(raw), sep_run, '/', 'g'), '^/+|/+$', '', 'g')
    END                                                               AS category,
    -- an empty level inside the path ('城市管理//内涝积水', or an empty middle level column): closed up above, and
    -- counted so the load can warn that its later levels moved up one
    dirty AND regexp_matches(raw, sep_gap)      AS category_gap
  FROM marked CROSS JOIN spacing WHERE NOT spaced_file AND NOT starts_with(raw, chr(31))
),
split AS (
  SELECT raw, CASE WHEN category = '' THEN [] ELSE string_split(category, '/') END AS levels, category_gap FROM from_path
  UNION ALL
  SELECT raw, levels, category_gap FROM spaced_path
  UNION ALL
  SELECT raw, levels, category_gap FROM from_columns
),
placeholder_at AS (
  -- the first level whose name means 'no value' (NYC's Descriptor 'N/A', 无): it names no category, so the path
  -- ends before it and the order keeps its parent levels ('Panhandling', not 'Panhandling/N/A')
  SELECT s.raw, s.levels, s.category_gap,
    list_position(list_transform(s.levels, x -> list_contains(p.placeholders, lower(trim(x)))), true) AS pos
  FROM split s CROSS JOIN ingest_params p
),
levelled AS (
  SELECT raw,
    CASE WHEN pos IS NULL OR pos = 0 THEN levels ELSE levels[1:pos - 1] END AS levels,
    category_gap,
    CASE WHEN pos > 0 THEN levels[pos] END                               AS placeholder
  FROM placeholder_at
)
SELECT raw,
  array_to_string(levels, '/')                                        AS category,
  levels                                                              AS category_levels,
  coalesce(levels[1], '')                                             AS cat1,
  CASE WHEN len(levels) > 1 THEN levels[1] || '/' || levels[2] ELSE coalesce(levels[1], '') END AS cat2,
  category_gap,
  placeholder
FROM levelled;
