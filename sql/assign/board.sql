-- Every item with its colour at $now: green while on time, yellow past $yellow_at of the time to deadline, red past
-- the deadline; done / late once finished (办结 or 核验) by or after the deadline.
SELECT a.*,
       CASE
         WHEN a.status IN ('办结', '核验') THEN CASE WHEN a.finished_at > a.deadline THEN 'late' ELSE 'done' END
         WHEN $now::TIMESTAMP >= a.deadline THEN 'red'
         WHEN epoch($now::TIMESTAMP) >= epoch(a.assigned_at) + $yellow_at::DOUBLE * (epoch(a.deadline) - epoch(a.assigned_at)) THEN 'yellow'
         ELSE 'green'
       END AS colour
FROM assignments a
