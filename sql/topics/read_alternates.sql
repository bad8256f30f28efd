-- The month's runners-up behind the candidates, with why each was weaker, for `weisu topics`.
SELECT rank, category, score, reasons::VARCHAR AS reasons, weaker::VARCHAR AS weaker
FROM topic_alternates
WHERE month = $month
ORDER BY rank;
