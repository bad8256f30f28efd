-- DuckDB's memory limit as it prints it ('953.6 MiB'): stages that lower it for a step read it first and put it back
-- after (src/store/memory.ts).
SELECT current_setting('memory_limit') AS memory_limit;
