-- The monthly scorecard per lead unit as of $as_of: process indicators over the items assigned in each month, and
-- result indicators from this as-of's effects of the unit's topics and hotspots.
DELETE FROM scorecard WHERE as_of = $as_of::DATE;

INSERT INTO scorecard (
  as_of, month, unit, assigned, acknowledged_on_time, returned_on_time, checked_on_time, finished, verified, overdue,
  open, on_time_rate, effects_n, decline_pct, significant_declines, decline_se
)
WITH items AS (
  SELECT strftime(assigned_at, '%Y-%m') AS month, lead_unit AS unit, item_id, source, month AS topic_month, category,
         assigned_at, deadline,
         CASE WHEN acknowledged_at < $as_of::DATE THEN acknowledged_at END AS acknowledged_at,
         CASE WHEN finished_at < $as_of::DATE THEN finished_at END AS finished_at,
         CASE WHEN verified_at < $as_of::DATE THEN verified_at END AS verified_at
  FROM assignments
  WHERE as_of < $as_of::DATE AND lead_unit IS NOT NULL
),
process AS (
  SELECT month, unit,
         count(*) AS assigned,
         count(*) FILTER (WHERE acknowledged_at <= assigned_at + to_hours($ack_hours::BIGINT)) AS acknowledged_on_time,
         count(*) FILTER (WHERE finished_at <= deadline) AS returned_on_time,
         count(*) FILTER (WHERE verified_at <= finished_at + to_days($verify_days::INTEGER)) AS checked_on_time,
         count(*) FILTER (WHERE finished_at IS NOT NULL) AS finished,
         count(*) FILTER (WHERE verified_at IS NOT NULL) AS verified,
         count(*) FILTER (WHERE finished_at > deadline OR (finished_at IS NULL AND $as_of::DATE > deadline)) AS overdue,
         count(*) FILTER (WHERE finished_at IS NULL) AS open,
         -- 按时回传率 is over the items due by the as-of: an item whose deadline has not passed has not missed it
         -- (3 items due at the as-of read as 按时回传率 0 %); a deadline at the as-of itself is not passed, as overdue
         count(*) FILTER (WHERE deadline < $as_of::DATE) AS due,
         count(*) FILTER (WHERE deadline < $as_of::DATE AND finished_at <= deadline) AS due_on_time
  FROM items
  GROUP BY month, unit
),
-- each effect belongs to the month its items were assigned in
subject_month AS (
  SELECT DISTINCT CASE source WHEN 'topic' THEN topic_month || ':' || category ELSE item_id END AS subject_id, month, unit
  FROM items
),
results AS (
  SELECT m.month, m.unit, count(*) AS effects_n,
         -- pooled over the unit's items (a mean of per-item percentages let cells of a fraction of an order a week dominate)
         sum(e.effect) / nullif(sum(e.counterfactual), 0) AS decline_pct, count(*) FILTER (WHERE e.significant AND e.effect < 0) AS significant_declines,
         -- each item's error read back from its interval (half-width / 1.96), independent items' variances added,
         -- as effects_pooled.sql does
         sqrt(sum(((e.effect_hi - e.effect_lo) / (2 * 1.96)) ^ 2)) / nullif(sum(e.counterfactual), 0) AS decline_se
  FROM effects e JOIN subject_month m USING (subject_id)
  WHERE e.as_of = $as_of::DATE AND e.measure IN ('category', 'cells')
  GROUP BY ALL
)
SELECT $as_of::DATE, p.month, p.unit, p.assigned, p.acknowledged_on_time, p.returned_on_time, p.checked_on_time,
       p.finished, p.verified, p.overdue, p.open,
       p.due_on_time / nullif(p.due, 0),
       COALESCE(r.effects_n, 0), r.decline_pct, COALESCE(r.significant_declines, 0), r.decline_se
FROM process p LEFT JOIN results r USING (month, unit)
ORDER BY p.month, p.unit;
