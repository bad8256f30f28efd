-- Which field of a numeric 'a/b/yyyy' date is the day: the largest value seen in each of the first two fields of
-- created_at and closed_at (a '13' or more can only be a day). Read from the raw text, before any format is applied.
WITH texts AS (
  SELECT trim(created_at) AS s FROM ingest_mapped
  UNION ALL
  SELECT trim(closed_at) FROM ingest_mapped
),
numeric_dates AS (
  SELECT s, regexp_extract(s, '^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?:\D|$)', ['first', 'second']) AS parts
  FROM texts
  WHERE s IS NOT NULL AND regexp_matches(s, '^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\D|$)')
)
SELECT count(*)                             AS rows,
  max(parts.first::INTEGER)                 AS max_first,
  max(parts.second::INTEGER)                AS max_second,
  any_value(s)                              AS sample
FROM numeric_dates;
