-- What can be measured as of $as_of: every topic (month, category) whose items are all finished, and every finished
-- hotspot item. action_start is when the items were assigned, action_end when the last was reported 办结.
WITH topic_subjects AS (
  SELECT 'topic' AS subject_kind,
         month || ':' || category AS subject_id,
         category,
         any_value(lead_unit) AS lead_unit,
         min(assigned_at)::DATE AS action_start,
         max(finished_at)::DATE AS action_end,
         list(DISTINCT street) FILTER (WHERE street IS NOT NULL) AS streets,
         list(DISTINCT COALESCE(district, '') || '/' || street) FILTER (WHERE street IS NOT NULL) AS street_keys,
         []::VARCHAR[] AS cells
  FROM assignments
  WHERE source = 'topic' AND as_of < $as_of::DATE
  GROUP BY month, category
  HAVING bool_and(status IN ('办结', '核验') AND finished_at < $as_of::DATE)
),
hotspot_subjects AS (
  SELECT 'hotspot', item_id, category, lead_unit,
         assigned_at::DATE, finished_at::DATE,
         [street], [COALESCE(district, '') || '/' || street], [cell]
  FROM assignments
  WHERE source = 'hotspot' AND status IN ('办结', '核验') AND finished_at < $as_of::DATE AND cell IS NOT NULL
)
SELECT * FROM topic_subjects
UNION ALL
SELECT * FROM hotspot_subjects
ORDER BY subject_kind DESC, subject_id
