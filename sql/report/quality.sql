-- Data-quality facts about last month's orders: how many rows were rejected (loaded last month, or dated last
-- month), how many orders could not be placed in a street or lie outside every boundary, how many have no
-- handling department or no satisfaction rating, how many carry anything a repeat can be told by (a caller, coordinates,
-- an address or a community: the repeat keys of sql/tag/keys.sql), and which days the data covers; whether any order has a hotspot cell
-- (an export without coordinates has none) and how many orders with one fall in the hotspot window [$hot_start,
-- $as_of), so an empty hotspot section can say why; and how many cells the latest hotspot stage of the snapshot's
-- five weeks tested (NULL: none ran), so "none stood out" is told from "not run". (Places are semi-joined to the month's orders rather than read
-- through orders_enriched: on a large store that avoids hashing every order's place.)
WITH month_orders AS (
  SELECT order_id, dept, satisfaction,
         nullif(trim(caller_hash), '') IS NOT NULL OR (lon IS NOT NULL AND lat IS NOT NULL)
           OR nullif(trim(address), '') IS NOT NULL OR nullif(trim(community), '') IS NOT NULL AS keyed
  FROM orders
  WHERE created_at >= $last_start::DATE AND created_at < $as_of::DATE
),
places AS (
  SELECT p.order_id, p.match, p.street, p.coord_status
  FROM order_places p SEMI JOIN month_orders USING (order_id)
),
-- a rejected row has no parsed date: the first date written in it (the acceptance time, in every export we know
-- of) dates it, so a month replayed later still hears of the rows it lost
rejected AS (
  SELECT
    quarantined_at,
    try_strptime(regexp_extract(raw, '(\d{4}[-/]\d{1,2}[-/]\d{1,2})', 1), ['%Y-%m-%d', '%Y/%m/%d']) AS dated
  FROM quarantine
)
SELECT
  (SELECT count(*) FROM month_orders)                                                         AS n,
  (SELECT count(*) FROM month_orders) - (SELECT count(DISTINCT order_id) FROM places WHERE match <> 'none') AS unplaced,
  (SELECT count(*) FROM month_orders) - (SELECT count(DISTINCT order_id) FROM places WHERE street IS NOT NULL) AS no_street,
  (SELECT count(*) FROM places WHERE coord_status = 'outside')                                AS outside,
  (SELECT count(*) FROM month_orders WHERE dept IS NULL OR trim(dept) = '')                   AS no_dept,
  (SELECT count(*) FROM month_orders WHERE trim(coalesce(satisfaction, '')) <> '')            AS n_rated,
  (SELECT count(*) FROM month_orders WHERE keyed)                                             AS n_keyed,
  (SELECT strftime(max(created_at), '%Y-%m-%d') FROM orders WHERE created_at < $as_of::DATE) AS last_order_day,
  (SELECT strftime(min(created_at), '%Y-%m-%d') FROM orders WHERE created_at < $as_of::DATE) AS first_order_day,
  (SELECT count(*) FROM (SELECT 1 FROM order_places WHERE cell IS NOT NULL LIMIT 1)) > 0           AS any_cell,
  (SELECT count(*) FROM order_places p
     SEMI JOIN (SELECT order_id FROM orders WHERE created_at >= $hot_start::DATE AND created_at < $as_of::DATE) w
       USING (order_id)
   WHERE p.cell IS NOT NULL)                                                                  AS window_cells,
  (SELECT arg_max(TRY_CAST(s.counts->>'study_cells' AS INTEGER), r.as_of)
     FROM run_stages s JOIN runs r USING (run_id)
    WHERE s.stage = 'hotspots' AND s.status = 'ok'
      AND r.as_of <= $as_of::DATE AND r.as_of > $as_of::DATE - INTERVAL 35 DAY)                 AS hotspot_cells_tested,
  (SELECT count(*) FROM rejected
    WHERE (quarantined_at >= $last_start::DATE AND quarantined_at < $as_of::DATE)
       OR (dated >= $last_start::DATE AND dated < $as_of::DATE))                              AS quarantined;
