-- Rows whose category path ended at a placeholder level (categories.sql), per placeholder name as the file wrote it,
-- for the load's warning. Run only when ingest_cats holds such a path, so a file without one pays nothing.
WITH hit AS (
  SELECT c.placeholder
  FROM ingest_mapped m JOIN ingest_cats c ON coalesce(m.category, '') = c.raw
  WHERE c.placeholder IS NOT NULL
)
SELECT placeholder, count(*) AS rows FROM hit GROUP BY placeholder ORDER BY rows DESC, placeholder;
