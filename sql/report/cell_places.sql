-- Where each hotspot cell of the report is, in the words a leader knows: the district, street and community most
-- of the cell's orders (of the category, in the window) were placed in, and the address group they name most often
-- (the road or estate, house and building numbers dropped, so 永定大街58号 and 永定大街104号 count together).
-- An address without Chinese characters is written the other way round ("81A-81 Newbury St  Boston  MA  02115",
-- "7 Newbury St, Boston, MA"): its leading house number is dropped and so is everything after the first comma or
-- gap of two spaces or more (city, state, ZIP), so the three are one group, "Newbury St". One that does not start
-- with a number writes it after the street, as German, Dutch, Italian or Nordic addresses do ("Markgrafenstraße 12a,
-- 78467 Konstanz"): a number ending its street part is the house number and is dropped ("Markgrafenstraße"), while
-- "12 Route 9" keeps the 9 that names its road. The leading number is dropped before the cut, with a comma after it
-- ("18, Am Pfeiferhölzle, 78464 Konstanz", as a geocoder wrote some): cut first, that address was the group "18".
-- The cells come as one JSON array of {cell, category (NULL: every category), start, end (exclusive)}.
WITH wanted AS (
  SELECT DISTINCT
    r->>'cell'              AS cell,
    r->>'category'          AS category,
    (r->>'start')::DATE     AS start_day,
    (r->>'end')::DATE       AS end_day
  FROM (SELECT unnest(from_json($cells::JSON, '["JSON"]')) AS r)
),
cell_orders AS (
  SELECT
    w.cell, w.category, p.district, p.street, p.community,
    nullif(trim(CASE
      WHEN regexp_matches(coalesce(o.address, ''), '\p{Han}')
        THEN regexp_replace(coalesce(o.address, ''), '[0-9０-９]+ *(号|栋|幢|楼|单元|室|弄|门).*$', '')
      WHEN regexp_matches(trim(coalesce(o.address, '')), '^[0-9]')
        THEN regexp_replace(
               regexp_replace(regexp_replace(trim(o.address), '^[0-9][0-9A-Za-z]*(-[0-9A-Za-z]+)?,*\s+', ''),
                              '(,|\s{2,}).*$', ''),
               '\s+', ' ', 'g')
      ELSE regexp_replace(
             regexp_replace(regexp_replace(trim(coalesce(o.address, '')), '(,|\s{2,}).*$', ''),
                            '\s+[0-9]+[A-Za-z]?(\s*[-/]\s*[0-9]+[A-Za-z]?)?$', ''),
             '\s+', ' ', 'g')
    END), '') AS address_group
  FROM wanted w
  JOIN order_places p ON p.cell = w.cell
  JOIN orders o ON o.order_id = p.order_id
  WHERE o.created_at >= w.start_day AND o.created_at < w.end_day
    AND (w.category IS NULL OR o.cat2 = w.category OR o.cat1 = w.category OR o.category = w.category)
),
totals AS (
  SELECT
    cell, category,
    count(*)::INTEGER  AS n,
    mode(district)     AS district,
    mode(street)       AS street,
    mode(community)    AS community
  FROM cell_orders
  GROUP BY cell, category
),
address_counts AS (
  SELECT cell, category, address_group, count(*)::INTEGER AS address_n
  FROM cell_orders
  WHERE address_group IS NOT NULL
  GROUP BY cell, category, address_group
),
top_address AS (
  -- ties by name, so a re-run names the same group
  SELECT cell, category, address_group, address_n
  FROM address_counts
  QUALIFY row_number() OVER (PARTITION BY cell, category ORDER BY address_n DESC, address_group) = 1
)
SELECT
  t.cell, t.category, t.n, t.district, t.street, t.community,
  a.address_group AS address, coalesce(a.address_n, 0) AS address_n
FROM totals t
LEFT JOIN top_address a ON a.cell = t.cell AND a.category IS NOT DISTINCT FROM t.category
ORDER BY t.cell, t.category;
