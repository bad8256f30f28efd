-- The unit scorecard as of $as_of, for `weisu effect`: by month, then unit.
SELECT * EXCLUDE (as_of) FROM scorecard WHERE as_of = $as_of::DATE ORDER BY month, unit;
