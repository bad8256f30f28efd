-- An item's current status and when it was set and assigned, for checking the next report against.
SELECT status, strftime(status_at, '%Y-%m-%d %H:%M:%S') AS status_at,
       strftime(assigned_at, '%Y-%m-%d %H:%M:%S') AS assigned_at
FROM assignments
WHERE item_id = $id;
