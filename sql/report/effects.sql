-- The effect (成效) of earlier topics and hotspot items, as last measured on or before the as-of: every measure of
-- every subject (the report decides which to list, after controlling the false-discovery rate across items in JS:
-- report/effect-rows.ts). The forecast measure of a topic is listed beside its DiD measures.
WITH latest AS (
  SELECT max(as_of) AS as_of FROM effects WHERE as_of <= $as_of::DATE
)
SELECT
  e.subject_kind, e.subject_id, e.category, e.lead_unit, e.measure, e.method,
  strftime(e.action_start, '%Y-%m-%d') AS action_start,
  strftime(e.action_end, '%Y-%m-%d')   AS action_end,
  e.effect_pct, e.pct_lo, e.pct_hi, e.significant, e.summary,
  e.effect, e.effect_lo, e.effect_hi, e.control_n, e.treated_pre, e.treated_post, e.counterfactual,
  -- where a hotspot item was: its id (H-74e0d0025a5c) tells a reader nothing (item_id is the key: one row at most)
  coalesce(a.street, a.district) AS place,
  a.cell
FROM effects e
JOIN latest ON e.as_of = latest.as_of
LEFT JOIN assignments a ON a.item_id = e.subject_id
WHERE e.measure IN ('category', 'cells', 'repeat', 'forecast')
ORDER BY e.subject_kind DESC, e.subject_id, CASE e.measure WHEN 'category' THEN 0 WHEN 'cells' THEN 1 WHEN 'forecast' THEN 2 ELSE 3 END;
