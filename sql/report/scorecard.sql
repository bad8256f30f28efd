-- The unit scorecard (承办单位考核) as last computed on or before the as-of, for the months up to last month. Every
-- row, not only those the report lists: each month's units are one family for the false-discovery control.
-- `base` is the expected orders a week without the work, summed over the unit's measured items (the denominator of
-- decline_pct, as sql/assign/scorecard.sql pools it): under one order a week a percentage says nothing.
WITH latest AS (
  SELECT max(as_of) AS as_of FROM scorecard WHERE as_of <= $as_of::DATE
),
subject_month AS (
  SELECT DISTINCT CASE source WHEN 'topic' THEN month || ':' || category ELSE item_id END AS subject_id,
         strftime(assigned_at, '%Y-%m') AS month, lead_unit AS unit
  FROM assignments
  WHERE lead_unit IS NOT NULL
),
bases AS (
  SELECT m.month, m.unit, sum(e.counterfactual) AS base
  FROM effects e
  JOIN latest ON e.as_of = latest.as_of
  JOIN subject_month m USING (subject_id)
  WHERE e.measure IN ('category', 'cells')
  GROUP BY ALL
)
SELECT s.month, s.unit, s.assigned, s.acknowledged_on_time, s.returned_on_time, s.checked_on_time, s.finished,
       s.verified, s.overdue, s.open, s.on_time_rate, s.effects_n, s.decline_pct, s.significant_declines, s.decline_se,
       b.base
FROM scorecard s
JOIN latest ON s.as_of = latest.as_of
LEFT JOIN bases b ON b.month = s.month AND b.unit = s.unit
WHERE s.month < $month
ORDER BY s.month DESC, s.assigned DESC, s.unit;
