-- The migrations applied to this store, created before any of them so the first open can record the first one.
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       VARCHAR NOT NULL,
  applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);
