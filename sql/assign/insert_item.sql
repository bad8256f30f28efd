-- One new item, unless it exists (an item keeps its status and history across runs) or, for a hotspot, an open
-- item of the same cell and category already covers it (a hotspot is not assigned twice while it is being handled).
INSERT INTO assignments (
  item_id, source, item_type, level, as_of, month, category, cell, grid_id, district, street,
  title, evidence, lead_unit, co_units, assigned_at, deadline,
  status, status_at, acknowledged_at, finished_at, verified_at, run_id
)
SELECT
  $item_id, $source, $item_type, $level, $as_of::DATE, $month, $category, $cell, $grid_id, $district, $street,
  $title, $evidence::JSON, $lead_unit, from_json($co_units, '["VARCHAR"]'), $assigned_at::TIMESTAMP, $deadline::TIMESTAMP,
  '交办', $assigned_at::TIMESTAMP, NULL, NULL, NULL, $run_id
WHERE NOT EXISTS (SELECT 1 FROM assignments WHERE item_id = $item_id)
  AND NOT EXISTS (
    SELECT 1 FROM assignments
    WHERE $source = 'hotspot' AND source = 'hotspot' AND cell = $cell AND category = $category
      AND as_of <= $as_of::DATE AND status NOT IN ('办结', '核验')
  );
