-- The unit scorecard (承办单位考核) as last computed on or before the as-of, for the months up to last month. Every
-- row, not only those the report lists: each month's units are one family for the false-discovery control.
WITH latest AS (
  SELECT max(as_of) AS as_of FROM scorecard WHERE as_of <= $as_of::DATE
)
SELECT s.month, s.unit, s.assigned, s.acknowledged_on_time, s.returned_on_time, s.checked_on_time, s.finished,
       s.verified, s.overdue, s.open, s.on_time_rate, s.effects_n, s.decline_pct, s.significant_declines, s.decline_se
FROM scorecard s, latest
WHERE s.as_of = latest.as_of AND s.month < $month
ORDER BY s.month DESC, s.assigned DESC, s.unit;
