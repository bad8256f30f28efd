-- The scorecard's 诉求变化 with its error: a unit's pooled change over a few cells is mostly noise, and a leader
-- reading "+30.9%" next to a unit's name should see whether it is more than that.
ALTER TABLE scorecard ADD COLUMN decline_se DOUBLE;   -- standard error of decline_pct (items' errors pooled)
