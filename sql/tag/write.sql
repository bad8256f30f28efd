-- One page's tags and flags (pages.sql): tag_scored holds the page's scored rows, tag_scope every out-of-scope
-- target scored so far. replace_targets.sql or replace_all.sql removed the targets' old rows and defined
-- tag_write_input. Written page by page, so the joins hash a page of rows, not every target of a first run.
INSERT INTO order_tags (order_id, tag, confidence, sources, seq)
SELECT i.order_id, t.label, s.confidence, src.label, i.seq
FROM tag_scored s
JOIN tag_write_input i USING (rn)
JOIN tag_labels t   ON t.kind = 'tag' AND t.code = s.tag
JOIN tag_labels src ON src.kind = 'sources' AND src.code = s.sources
WHERE i.rn BETWEEN CAST($rn_lo AS INTEGER) AND CAST($rn_hi AS INTEGER)
  AND i.orow BETWEEN CAST($orow_lo AS BIGINT) AND CAST($orow_hi AS BIGINT);

INSERT INTO order_flags (order_id, is_repeat, repeat_kind, repeat_of, out_of_scope, scope_rule, seq)
SELECT i.order_id, i.is_repeat, i.repeat_kind, i.repeat_of, s.rule IS NOT NULL, rule.label, i.seq
FROM tag_write_input  i
LEFT JOIN tag_scope   s    USING (rn)
LEFT JOIN tag_labels  rule ON rule.kind = 'scope' AND rule.code = s.rule
WHERE i.rn BETWEEN CAST($rn_lo AS INTEGER) AND CAST($rn_hi AS INTEGER)
  AND i.orow BETWEEN CAST($orow_lo AS BIGINT) AND CAST($orow_hi AS BIGINT);

-- written: the next page's rows take their place
DELETE FROM tag_scored;
