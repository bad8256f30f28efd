-- assign_place_root(address): where an order points to, as a place a grid worker can walk to — its 小区 / 村 / road
-- without building, unit and house numbers, a crossing with its two roads in a fixed order (A与B交口 = B和A交叉口), a
-- leading city / district / street prefix dropped (but not a 小区, 社区 or 超市 ending the same way), full-width digits
-- and spaces normalised. 蓝天里3号楼2单元 and 蓝天里小区12号楼 are one place. An address without Chinese characters is
-- written the other way round (61 Tremont St  Brighton  MA  02135; 75A-77 Tremont St, Brighton, MA): its leading house
-- number and what follows the first comma or wide gap (city, state, ZIP) are dropped and its spaces kept, one between
-- words — Tremont St. One that does not start with a number writes it after the street, as German, Dutch, Italian or
-- Nordic addresses do (Markgrafenstraße 12a, 78467 Konstanz): a number ending its street part is the house number and
-- is dropped, while 12 Route 9 keeps the 9 that names its road; a leading number followed by a comma (18, Am
-- Pfeiferhölzle, 78464 Konstanz) is dropped before the cut (the report's rule, sql/report/cell_places.sql).
-- Hotspot items and topic items name their largest group of orders by this root (位置).
-- A temporary macro of the connection: created before the queries that group by it (items.ts).
CREATE OR REPLACE TEMP MACRO assign_place_address(address) AS (
  CASE WHEN NOT regexp_matches(COALESCE(address, ''), '\p{Han}') AND regexp_matches(trim(COALESCE(address, '')), '^[0-9]')
    THEN regexp_replace(
           regexp_replace(regexp_replace(trim(address), '^[0-9][0-9A-Za-z]*(-[0-9A-Za-z]+)?,*\s+', ''),
                          '(,|\s{2,}).*$', ''),
           '\s+', ' ', 'g')
    WHEN NOT regexp_matches(COALESCE(address, ''), '\p{Han}')
    THEN regexp_replace(
           regexp_replace(regexp_replace(trim(COALESCE(address, '')), '(,|\s{2,}).*$', ''),
                          '\s+[0-9]+[A-Za-z]?(\s*[-/]\s*[0-9]+[A-Za-z]?)?$', ''),
           '\s+', ' ', 'g')
    ELSE regexp_replace(
      regexp_replace(translate(COALESCE(address, ''), '０１２３４５６７８９　', '0123456789 '), '\s+', '', 'g'),
      '^(\p{Han}{0,5}[^超菜集夜0-9][省市])?(\p{Han}{0,5}[^小社园校景片街0-9][区县])?(\p{Han}{1,6}(街道|镇|乡))?', '')
  END
);
CREATE OR REPLACE TEMP MACRO assign_place_root_of(a, x) AS (
  CASE
    WHEN x.r1 <> '' THEN least(x.r1, x.r2) || '与' || greatest(x.r1, x.r2) || '交口'
    ELSE regexp_replace(regexp_replace(a, '[0-9一二三四五六七八九十百零〇]+(号楼|号院|栋|幢|座|号|单元|室|层|楼|弄).*$', ''),
                        '(小区|社区)$', '')
  END
);
CREATE OR REPLACE TEMP MACRO assign_place_root(address) AS (
  assign_place_root_of(
    assign_place_address(address),
    regexp_extract(assign_place_address(address), '^(.+?)[与和、](.+?)(交叉口|十字路口|路口|交口)$', ['r1', 'r2'])
  )
);
