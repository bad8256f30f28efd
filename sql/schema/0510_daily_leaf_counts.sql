-- Orders per day × finest category path × district × street, for paths deeper than level 2 (大类/中类/小类/…):
-- what detection reads to test level 3 and below. Paths of one or two levels are not repeated here (daily_counts
-- holds them), so a city whose taxonomy stops at level 2 keeps this table empty. Filled by the aggregate stage in
-- the same pass as daily_counts; a separate table so every reader and writer of daily_counts keeps its columns.
CREATE TABLE daily_leaf_counts (
  day            DATE      NOT NULL,
  category       VARCHAR   NOT NULL,          -- full path, levels joined by '/', at least 3 levels
  district       VARCHAR,
  street         VARCHAR,
  n              INTEGER   NOT NULL
);

-- a store made before this table: the next aggregate run recounts every day, so level 3 has its history too
DELETE FROM stage_marks WHERE stage = 'aggregate';
