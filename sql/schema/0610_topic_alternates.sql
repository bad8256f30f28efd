-- 备选: when fewer than two categories pass the candidate bar, the next ones by score, shown to the 调度会 with
-- why each is weaker (src/topics/alternates.ts). Not candidates: the assign stage never reads this table.
CREATE TABLE topic_alternates (
  month          VARCHAR   NOT NULL,
  rank           INTEGER   NOT NULL,          -- continues the candidates' ranks (a lone candidate is 1, alternates 2, 3)
  category       VARCHAR   NOT NULL,
  level          TINYINT   NOT NULL,
  score          DOUBLE    NOT NULL,
  excluded_why   VARCHAR   NOT NULL,          -- routine | too_small | not_broad: the gate that stopped it
  reasons        JSON      NOT NULL,          -- readable Chinese sentences: what speaks for it
  weaker         JSON      NOT NULL,          -- readable Chinese sentences: why it is weaker than a candidate
  computed_at    TIMESTAMP NOT NULL
);
