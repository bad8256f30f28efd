-- Orders per window × level-2 category × study-area cell, and per window × cell over all categories. Only categories
-- with enough placed orders in the current window (offset 0) are tested. Categories travel as small integers (0 =
-- all categories, then the tested ones by name) so that neither the grouping nor the reader handles a million strings.

-- Orders per day × category × cell first: the window join then expands one row per combination instead of per order.
CREATE OR REPLACE TEMP TABLE hs_daily AS
SELECT p.day, p.cat2, a.idx, count(*)::INTEGER AS n
FROM hs_placed p
JOIN hs_area a USING (cell)
WHERE p.day >= $from::DATE
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE hs_categories AS
WITH current_window AS (SELECT w_start, w_end FROM hs_windows WHERE o = 0)
SELECT row_number() OVER (ORDER BY d.cat2)::INTEGER AS cat, d.cat2
FROM hs_daily d, current_window w
WHERE d.day >= w.w_start AND d.day < w.w_end
GROUP BY d.cat2
HAVING sum(d.n) >= $min_category;

CREATE OR REPLACE TEMP TABLE hs_counts AS
WITH
in_windows AS (
  SELECT w.o, d.cat2, d.idx, d.n
  FROM hs_daily d
  JOIN hs_windows w ON d.day >= w.w_start AND d.day < w.w_end
)
SELECT i.o, c.cat, i.idx, sum(i.n)::INTEGER AS n
FROM in_windows i
JOIN hs_categories c USING (cat2)
GROUP BY ALL
UNION ALL
SELECT o, 0 AS cat, idx, sum(n)::INTEGER AS n
FROM in_windows
GROUP BY ALL;
