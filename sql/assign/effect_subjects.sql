-- What can be measured as of $as_of: every topic (month, category) whose items are mostly finished (a share of at
-- least $min_finished: one lagging street should not hide the month's topic from the report for good), and every
-- finished hotspot item. action_start is when the items were assigned, action_end when the last finished item was
-- reported 办结; only the finished items' streets are treated (the open ones are left out of the controls too).
-- trigger_start is where the evidence window that caused the item began (its earliest among a topic's items; NULL
-- for items without one): the effect's baseline must end before it (assign/effect.ts).
WITH topic_items AS (
  SELECT *, status IN ('办结', '核验') AND finished_at < $as_of::DATE AS done
  FROM assignments
  WHERE source = 'topic' AND as_of < $as_of::DATE
),
topic_subjects AS (
  SELECT 'topic' AS subject_kind,
         month || ':' || category AS subject_id,
         category,
         any_value(lead_unit) AS lead_unit,
         min(assigned_at)::DATE AS action_start,
         min(TRY_CAST(evidence->>'window_start' AS TIMESTAMP))::DATE AS trigger_start,
         max(finished_at) FILTER (WHERE done)::DATE AS action_end,
         list(DISTINCT street) FILTER (WHERE street IS NOT NULL AND done) AS streets,
         list(DISTINCT COALESCE(district, '') || '/' || street) FILTER (WHERE street IS NOT NULL AND done) AS street_keys,
         []::VARCHAR[] AS cells,
         count(*)::INTEGER AS items,
         count(*) FILTER (WHERE NOT done)::INTEGER AS open_items
  FROM topic_items
  GROUP BY month, category
  HAVING count(*) FILTER (WHERE done) >= $min_finished * count(*) AND bool_or(done)
),
hotspot_subjects AS (
  SELECT 'hotspot', item_id, category, lead_unit,
         assigned_at::DATE, TRY_CAST(evidence->>'window_start' AS TIMESTAMP)::DATE, finished_at::DATE,
         [street], [COALESCE(district, '') || '/' || street], [cell], 1, 0
  FROM assignments
  WHERE source = 'hotspot' AND status IN ('办结', '核验') AND finished_at < $as_of::DATE AND cell IS NOT NULL
),
subjects AS (
  SELECT * FROM topic_subjects
  UNION ALL
  SELECT * FROM hotspot_subjects
)
SELECT subject_kind, subject_id, category, lead_unit, CAST(action_start AS VARCHAR) AS action_start,
       CAST(trigger_start AS VARCHAR) AS trigger_start,
       CAST(action_end AS VARCHAR) AS action_end, streets, street_keys, cells, items, open_items
FROM subjects
ORDER BY subject_kind DESC, subject_id;
