-- The latest as-of pipeline $p ran successfully for: catching up runs only the due dates after it.
SELECT max(as_of)::VARCHAR AS as_of FROM runs WHERE pipeline = $p AND status = 'ok';
