-- Which district each street lies in (the most common one, should an export disagree with itself).
SELECT street, arg_max(district, n) AS district
FROM (SELECT street, district, sum(n) AS n FROM daily_counts WHERE street IS NOT NULL AND district IS NOT NULL GROUP BY ALL)
GROUP BY street;
