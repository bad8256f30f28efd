-- The hotline's whole weekly volume (every category, every place): the exposure that carries overall growth,
-- holidays and the Spring Festival dip, so a category is judged by its share rather than its raw count.
SELECT
  ($week0::DATE - date_trunc('week', day)::DATE) // 7 AS w,
  sum(n)::BIGINT                                       AS total
FROM daily_counts
WHERE day < $as_of::DATE
  AND day < $week0::DATE + 7
  AND day >= $week0::DATE - 7 * $max_weeks
GROUP BY ALL
ORDER BY w;
