INSERT INTO topic_candidates (month, rank, category, level, score, reasons, evidence, lead_unit, co_units, components, computed_at)
VALUES ($month, $rank, $category, $level, $score, $reasons::JSON, $evidence::JSON, $lead_unit, $co_units::JSON, $components::JSON, now()::TIMESTAMP);
