-- How the orders placed by this run (order_places.seq above the stage's mark) were matched, for the stage's counts
-- and warnings.
SELECT
  count(*) FILTER (WHERE match = 'point')          AS point,
  count(*) FILTER (WHERE match = 'name')           AS name,
  count(*) FILTER (WHERE match = 'none')           AS none,
  count(*) FILTER (WHERE coord_status = 'outside') AS outside,
  count(*) FILTER (WHERE coord_status = 'invalid') AS invalid,
  count(*) FILTER (WHERE coord_status = 'placeholder') AS placeholder,
  count(*) FILTER (WHERE street IS NULL)           AS no_street
FROM order_places
WHERE seq > $mark;
