-- JSON Lines read as text (ingest_jsonl: _line, j): a line that is not a JSON object is unreadable; the objects go
-- on, in line order, to ingest_jsonl_ok.
INSERT INTO ingest_unreadable (line, reason, code, raw)
SELECT _line, '无法读取的行：不是 JSON 对象', 'not_json_object', j
FROM ingest_jsonl
WHERE NOT CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END;

CREATE OR REPLACE TEMP TABLE ingest_jsonl_ok AS
SELECT _line, j
FROM ingest_jsonl
WHERE CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END
ORDER BY _line;
