-- This stage's kinds for one as-of; surge_forecast rows belong to the forecast stage.
DELETE FROM alerts
WHERE as_of = $as_of::DATE
  AND kind IN (SELECT unnest(string_split($kinds, ',')));
