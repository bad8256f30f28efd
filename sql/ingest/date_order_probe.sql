-- Does the file write numeric 'a/b/yyyy' dates at all? An export keeps one style throughout: its first thousand rows
-- tell, and date_order.sql reads the whole file only when they hold one.
SELECT count(*) AS hits
FROM (SELECT created_at, closed_at FROM ingest_mapped LIMIT 1000)
WHERE regexp_matches(coalesce(trim(created_at), '') || ' ' || coalesce(trim(closed_at), ''),
                     '^\d{1,2}[/.-]\d{1,2}[/.-]|\s\d{1,2}[/.-]\d{1,2}[/.-]');
