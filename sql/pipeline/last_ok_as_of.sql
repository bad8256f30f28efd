-- The latest as-of pipeline $p ran successfully for, up to $today: catching up runs only the due dates after it.
-- A run replayed by hand with an as-of in the future (a typo, a bench on a fixed calendar) is not counted, or it
-- would hide every run due until that date.
SELECT max(as_of)::VARCHAR AS as_of FROM runs WHERE pipeline = $p AND status = 'ok' AND as_of <= $today::DATE;
