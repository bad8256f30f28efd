-- Which field of a numeric 'a/b/yyyy' date is the day, from the raw text of created_at and closed_at, before any
-- format is applied. Only a date that reads as a real day-and-time one way and not the other tells the order
-- ('24/01/2015' day first, '01/24/2015' month first); one that reads both ways ('01/02/2015') tells nothing, and one
-- that reads neither way ('13/45/2015', or a time of '25:00:00 PM') is garbage: neither votes. For each order the
-- count, the largest day seen and one value that proves it; `sample` is a value readable both ways.
WITH texts AS (
  SELECT trim(created_at) AS s FROM ingest_mapped
  UNION ALL
  SELECT trim(closed_at) FROM ingest_mapped
),
numeric_dates AS (
  SELECT s,
    regexp_extract(s, '^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(.*)$', ['first', 'second', 'year', 'rest']) AS p
  FROM texts
  WHERE s IS NOT NULL AND regexp_matches(s, '^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\D|$)')
),
fields AS (
  SELECT s, p.first::INTEGER AS a, p.second::INTEGER AS b,
    CASE WHEN length(p.year) = 2 THEN 2000 + p.year::INTEGER ELSE p.year::INTEGER END AS y,
    -- nothing after the date, or a time (seconds, fraction, AM/PM and a zone optional)
    regexp_extract(p.rest,
      '^(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\s*$',
      ['h', 'm', 'sec', 'ampm']) AS t,
    regexp_full_match(p.rest,
      '(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\s*') AS time_shape
  FROM numeric_dates
),
readable AS (
  SELECT s, a, b,
    try_cast(printf('%04d-%02d-%02d', y, b, a) AS DATE) IS NOT NULL AS day_first_ok,
    try_cast(printf('%04d-%02d-%02d', y, a, b) AS DATE) IS NOT NULL AS month_first_ok
  FROM fields
  WHERE time_shape
    AND (t.h = '' OR (
      (CASE WHEN t.ampm <> '' THEN t.h::INTEGER BETWEEN 1 AND 12 ELSE t.h::INTEGER <= 23 END)
      AND t.m::INTEGER <= 59 AND coalesce(nullif(t.sec, '')::INTEGER, 0) <= 59))
)
SELECT count(*) FILTER (WHERE day_first_ok OR month_first_ok)          AS rows,
  count(*) FILTER (WHERE day_first_ok AND NOT month_first_ok)           AS day_first,
  count(*) FILTER (WHERE month_first_ok AND NOT day_first_ok)           AS month_first,
  max(a) FILTER (WHERE day_first_ok AND NOT month_first_ok)             AS max_first,
  max(b) FILTER (WHERE month_first_ok AND NOT day_first_ok)             AS max_second,
  min(s) FILTER (WHERE day_first_ok AND NOT month_first_ok)             AS day_first_sample,
  min(s) FILTER (WHERE month_first_ok AND NOT day_first_ok)             AS month_first_sample,
  min(s) FILTER (WHERE day_first_ok AND month_first_ok)                 AS sample
FROM readable;
