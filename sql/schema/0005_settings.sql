-- Small key/value facts about this store (e.g. the demo city it was built from).
CREATE TABLE settings (
  key            VARCHAR PRIMARY KEY,
  value          VARCHAR
);
