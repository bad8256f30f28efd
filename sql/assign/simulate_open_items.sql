-- The items a demo's simulated 回传 plays on: assigned before $as_of and not yet finished (办结 or 核验), with
-- their assignment and deadline as epoch seconds.
SELECT item_id, status, epoch(assigned_at) AS start, epoch(deadline) AS due
FROM assignments
WHERE as_of < $as_of::DATE AND status NOT IN ('办结', '核验')
ORDER BY item_id;
