-- Every item with its colour at $now: green while on time, yellow past $yellow_at of the time to deadline, red past
-- the deadline; done / late once finished (办结 or 核验) by or after the deadline. Each filter applies only when
-- given (a NULL parameter keeps every item): $rid one recipient's items with their role, $item one item, $as_of the
-- items assigned as of that day or before. Red first, then yellow, green and finished, each by deadline (to the
-- minute shown), then item.
WITH coloured AS (
  SELECT a.*,
         CASE
           WHEN a.status IN ('办结', '核验') THEN CASE WHEN a.finished_at > a.deadline THEN 'late' ELSE 'done' END
           WHEN $now::TIMESTAMP >= a.deadline THEN 'red'
           WHEN epoch($now::TIMESTAMP)
                >= epoch(a.assigned_at) + $yellow_at::DOUBLE * (epoch(a.deadline) - epoch(a.assigned_at)) THEN 'yellow'
           ELSE 'green'
         END AS colour
  FROM assignments a
),
recipient_roles AS (
  SELECT item_id, role FROM assignment_recipients WHERE recipient_id = $rid::VARCHAR
)
SELECT b.item_id, b.source, b.item_type, b.level, CAST(b.as_of AS VARCHAR) AS as_of, b.month, b.category, b.cell,
       b.grid_id, b.district, b.street, b.title, CAST(b.evidence AS VARCHAR) AS evidence, b.lead_unit, b.co_units,
       strftime(b.assigned_at, '%Y-%m-%d %H:%M') AS assigned_at, strftime(b.deadline, '%Y-%m-%d %H:%M') AS deadline,
       b.status, strftime(b.status_at, '%Y-%m-%d %H:%M') AS status_at, b.colour, r.role
FROM coloured b
LEFT JOIN recipient_roles r USING (item_id)
WHERE ($rid::VARCHAR IS NULL OR r.item_id IS NOT NULL)
  AND ($item::VARCHAR IS NULL OR b.item_id = $item::VARCHAR)
  AND ($as_of::DATE IS NULL OR b.as_of <= $as_of::DATE)
ORDER BY CASE colour WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END, deadline, item_id;
