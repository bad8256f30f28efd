-- How concentrated each category's last-month orders are in hotspot cells of that category (or of its 大类):
-- the share of orders that fall in such a cell, how many such cells hold them, and the hottest cells themselves.
WITH hot_cells AS (
  SELECT cell, category, max(z) AS z, max(count) AS count
  FROM hotspots
  WHERE as_of = $hot_as_of::DATE AND kind IN ('hot', 'emerging', 'persistent') AND category IS NOT NULL
  GROUP BY ALL
),
flagged AS (
  SELECT
    o.cat1, o.cat2, o.cell,
    EXISTS (SELECT 1 FROM hot_cells h WHERE h.cell = o.cell AND (h.category = o.cat2 OR h.category = o.cat1)) AS in_hot
  FROM topic_orders o
),
shares AS (
  SELECT
    CASE WHEN GROUPING(cat2) = 1 THEN cat1 ELSE cat2 END AS category,
    avg(in_hot::INTEGER) AS hot_share,
    count(DISTINCT cell) FILTER (WHERE in_hot) AS hot_cells
  FROM flagged
  GROUP BY GROUPING SETS ((cat1), (cat1, cat2))
),
top_cells AS (
  -- a level-1 category's hot cells are those of its level-2 categories
  SELECT category, cell, z FROM hot_cells
  UNION ALL
  SELECT split_part(category, '/', 1), cell, z FROM hot_cells WHERE category LIKE '%/%'
),
ranked AS (
  SELECT category, list(cell ORDER BY z DESC) AS cells
  FROM (SELECT category, cell, max(z) AS z FROM top_cells GROUP BY ALL)
  GROUP BY category
)
SELECT s.category, s.hot_share, s.hot_cells::INTEGER AS hot_cells, coalesce(r.cells[1:$max_cells], []) AS cells
FROM shares s
LEFT JOIN ranked r USING (category);
