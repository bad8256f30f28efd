-- The first row --strict rejected in a file ($f), for the one line on stderr: where to look.
SELECT file, line, field, reason
FROM quarantine
WHERE file = $f
ORDER BY batch_seq DESC, line
LIMIT 1;
