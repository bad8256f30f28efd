-- How many items were assigned by this as-of's run.
SELECT count(*)::INTEGER AS items FROM assignments WHERE as_of = $as_of::DATE;
