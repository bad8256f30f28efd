-- Every recipient, configured ones first and the automatic per-office lists (auto-…) after, each by id.
SELECT recipient_id AS id, name, kind FROM recipients ORDER BY recipient_id LIKE 'auto-%', recipient_id;
