-- The effect (成效) of earlier topics and hotspot items, as last measured on or before the as-of: one line each.
-- Topics first; then the items whose change is significant, largest decline first, so a short list shows what
-- worked and what did not rather than the first items by id; within a subject the category-level measure first.
WITH latest AS (
  SELECT max(as_of) AS as_of FROM effects WHERE as_of <= $as_of::DATE
),
measured AS (
  SELECT e.*,
         bool_or(e.significant AND e.measure IN ('category', 'cells')) OVER (PARTITION BY e.subject_id) AS subject_significant,
         min(CASE WHEN e.measure IN ('category', 'cells') THEN e.effect_pct END) OVER (PARTITION BY e.subject_id) AS subject_pct
  FROM effects e, latest
  WHERE e.as_of = latest.as_of AND e.measure IN ('category', 'cells', 'repeat')
)
SELECT
  subject_kind, subject_id, category, lead_unit, measure, method,
  strftime(action_start, '%Y-%m-%d') AS action_start,
  strftime(action_end, '%Y-%m-%d')   AS action_end,
  effect_pct, pct_lo, pct_hi, significant, summary
FROM measured
ORDER BY subject_kind DESC, subject_significant DESC, subject_pct NULLS LAST, subject_id,
         CASE measure WHEN 'category' THEN 0 WHEN 'cells' THEN 1 ELSE 2 END
LIMIT $limit;
