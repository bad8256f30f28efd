-- The categories `weisu topics select` accepts without --force: the month's candidates by rank, then its 备选 (the
-- report offers them "供会议参考；如选定…", so the meeting may choose one). `alternate` tells them apart.
SELECT category, false AS alternate, rank FROM topic_candidates WHERE month = $month
UNION ALL
SELECT category, true AS alternate, rank FROM topic_alternates WHERE month = $month
ORDER BY alternate, rank;
