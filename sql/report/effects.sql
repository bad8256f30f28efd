-- The effect (成效) of earlier topics and hotspot items, as last measured on or before the as-of: one line each,
-- the category-level measure first.
WITH latest AS (
  SELECT max(as_of) AS as_of FROM effects WHERE as_of <= $as_of::DATE
)
SELECT
  e.subject_kind, e.subject_id, e.category, e.lead_unit, e.measure, e.method,
  strftime(e.action_start, '%Y-%m-%d') AS action_start,
  strftime(e.action_end, '%Y-%m-%d')   AS action_end,
  e.effect_pct, e.pct_lo, e.pct_hi, e.significant, e.summary
FROM effects e, latest
WHERE e.as_of = latest.as_of AND e.measure IN ('category', 'cells', 'repeat')
ORDER BY e.subject_kind DESC, e.subject_id, CASE e.measure WHEN 'category' THEN 0 WHEN 'cells' THEN 1 ELSE 2 END
LIMIT $limit;
