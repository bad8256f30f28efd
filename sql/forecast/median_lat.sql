-- Where the city lies: the median latitude of (a sample of) its orders' coordinates, NULL without any.
SELECT median(lat) AS lat
FROM (SELECT lat FROM orders WHERE lat IS NOT NULL AND lat BETWEEN -90 AND 90 USING SAMPLE reservoir(50000 ROWS) REPEATABLE (42));
