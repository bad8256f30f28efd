-- The month's 备选 (topics stage, src/topics/alternates.ts): shown after the candidates when fewer than two passed.
SELECT rank, category, score, excluded_why, reasons::VARCHAR AS reasons, weaker::VARCHAR AS weaker
FROM topic_alternates
WHERE month = $month
ORDER BY rank;
