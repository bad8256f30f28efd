-- The effect (成效) of earlier topics and hotspot items, as last measured on or before the as-of: every measure of
-- every subject (the report decides which to list, after controlling the false-discovery rate across items in JS:
-- report/effect-rows.ts). The forecast measure of a topic is listed beside its DiD measures.
WITH latest AS (
  SELECT max(as_of) AS as_of FROM effects WHERE as_of <= $as_of::DATE
)
SELECT
  subject_kind, subject_id, category, lead_unit, measure, method,
  strftime(action_start, '%Y-%m-%d') AS action_start,
  strftime(action_end, '%Y-%m-%d')   AS action_end,
  effect_pct, pct_lo, pct_hi, significant, summary,
  effect, effect_lo, effect_hi, control_n,
  -- where a hotspot item was: its id (H-74e0d0025a5c) tells a reader nothing
  (SELECT any_value(coalesce(a.street, a.district)) FROM assignments a WHERE a.item_id = e.subject_id) AS place,
  (SELECT any_value(a.cell) FROM assignments a WHERE a.item_id = e.subject_id)                         AS cell
FROM effects e, latest
WHERE e.as_of = latest.as_of AND e.measure IN ('category', 'cells', 'repeat', 'forecast')
ORDER BY subject_kind DESC, subject_id, CASE measure WHEN 'category' THEN 0 WHEN 'cells' THEN 1 WHEN 'forecast' THEN 2 ELSE 3 END;
