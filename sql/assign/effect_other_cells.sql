-- The cells under any item of category $c assigned before $as_of: not clean controls for a hotspot.
SELECT DISTINCT cell AS k
FROM assignments
WHERE category = $c AND cell IS NOT NULL AND as_of < $as_of::DATE;
