-- Replace the targets' tags and flags with this run's.
DELETE FROM order_tags WHERE order_id IN (SELECT order_id FROM tag_targets);
INSERT INTO order_tags (order_id, tag, confidence, sources, seq)
SELECT order_id, tag, confidence, sources, seq FROM tag_scored;

DELETE FROM order_flags WHERE order_id IN (SELECT order_id FROM tag_targets);
INSERT INTO order_flags (order_id, is_repeat, repeat_kind, repeat_of, out_of_scope, scope_rule, seq)
SELECT r.order_id, r.is_repeat, r.repeat_kind, r.repeat_of, s.scope_rule IS NOT NULL, s.scope_rule, t.seq
FROM tag_repeats r
JOIN tag_scope   s USING (order_id)
JOIN tag_targets t USING (order_id);
