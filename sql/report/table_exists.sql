SELECT count(*) > 0 AS present FROM information_schema.tables WHERE table_name = $name;
