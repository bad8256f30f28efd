-- One configured recipient into the store. keep_token: its token cannot be read now (tokenEnv unset), so the
-- hash stored before stays, rather than locking the recipient out of `weisu serve`.
INSERT INTO recipients (recipient_id, name, kind, covers, webhook_type, token_hash, updated_at)
VALUES ($id, $name, $kind, $covers::JSON, $webhook_type, $token_hash, current_localtimestamp())
ON CONFLICT (recipient_id) DO UPDATE SET
  name = excluded.name,
  kind = excluded.kind,
  covers = excluded.covers,
  webhook_type = excluded.webhook_type,
  token_hash = CASE WHEN $keep_token THEN recipients.token_hash ELSE excluded.token_hash END,
  updated_at = excluded.updated_at;
