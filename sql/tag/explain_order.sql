-- One stored order with what `tag explain` shows beside its tags: its own fields, its repeat flags, and whether the
-- order it repeats was already closed when it came in (a repeat after closure weighs as 服务落实不到位).
SELECT
  o.content,
  o.category,
  o.dispatch_count,
  o.reopened,
  o.dept,
  f.is_repeat,
  f.repeat_kind,
  f.repeat_of,
  f.scope_rule,
  p.closed_at IS NOT NULL AND p.closed_at <= o.created_at AS after_close
FROM orders o
LEFT JOIN order_flags f USING (order_id)
LEFT JOIN orders p ON p.order_id = f.repeat_of
WHERE o.order_id = $id
