-- The streets (district/street) under any item of category $c assigned before $as_of: not clean controls for a topic.
SELECT DISTINCT COALESCE(district, '') || '/' || street AS k
FROM assignments
WHERE category = $c AND street IS NOT NULL AND as_of < $as_of::DATE;
