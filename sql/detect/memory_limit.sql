-- DuckDB's memory limit as it prints it ('953.6 MiB'): detection's SQL runs under half of it (src/detect/memory.ts).
SELECT current_setting('memory_limit') AS memory_limit;
