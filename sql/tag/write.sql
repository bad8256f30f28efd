-- This run's tags and flags of the targets (replace_targets.sql or replace_all.sql removed their old rows and
-- defined tag_write_input).
INSERT INTO order_tags (order_id, tag, confidence, sources, seq)
SELECT i.order_id, t.label, s.confidence, src.label, i.seq
FROM tag_scored s
JOIN tag_write_input i USING (rn)
JOIN tag_labels t   ON t.kind = 'tag' AND t.code = s.tag
JOIN tag_labels src ON src.kind = 'sources' AND src.code = s.sources;
-- written: its memory goes back to DuckDB's pool before the flags are (at 10M orders, 13M rows)
DROP TABLE tag_scored;

INSERT INTO order_flags (order_id, is_repeat, repeat_kind, repeat_of, out_of_scope, scope_rule, seq)
SELECT i.order_id, i.is_repeat, i.repeat_kind, i.repeat_of, s.rule IS NOT NULL, rule.label, i.seq
FROM tag_write_input  i
LEFT JOIN tag_scope   s    USING (rn)
LEFT JOIN tag_labels  rule ON rule.kind = 'scope' AND rule.code = s.rule;
