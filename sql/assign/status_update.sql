-- An item moves to status $to at $at. Its first change of status acknowledges it; the first 办结 or 核验
-- finishes it (a later rework keeps that time); 核验 records when it was verified.
UPDATE assignments
SET status = $to,
    status_at = $at::TIMESTAMP,
    acknowledged_at = COALESCE(acknowledged_at, $at::TIMESTAMP),
    finished_at = CASE WHEN $to IN ('办结', '核验') THEN COALESCE(finished_at, $at::TIMESTAMP) ELSE finished_at END,
    verified_at = CASE WHEN $to = '核验' THEN $at::TIMESTAMP ELSE verified_at END
WHERE item_id = $id;
