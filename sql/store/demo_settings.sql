-- What the demo leaves in the store for later commands: where its planted truth and city files are, and the config
-- it ran with (so later commands need no --config).
INSERT OR REPLACE INTO settings (key, value)
VALUES ('demo.truth', $truth), ('demo.city_dir', $dir), ('config.path', $config);
