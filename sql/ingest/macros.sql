-- Session-only helpers of the ingest stage (TEMP: they never land in the store file).

-- A timestamp in any of the forms 12345 exports use, as the city's local time (tz: config city.timezone, default
-- Asia/Shanghai); NULL when it cannot be read.
-- User formats (the mapping's timestamp_formats) are tried first, then ISO forms, then common Chinese layouts, Excel
-- serial day numbers and Unix epochs.
-- A written offset: when the config names the city's zone (own_offset false) the time is converted to it; when it
-- names none (own_offset true) the time keeps the wall clock it states, since its offset is the writer's own local
-- time (a US export loaded without a config stays on its own days). 'Z' and epochs state no local time: they are
-- always read in tz.
-- (Macros here are plain expressions: a macro holding a subquery would run once per row.)
-- A 12-hour clock as a zh-CN Windows or Excel export writes it ('2022/12/5 下午 02:30:00', '2022-12-05 上午12:05') or
-- as English does, the meridiem before or after the time ('2022/12/5 PM 2:30:00'): rewritten 'date time AM|PM' for
-- strptime's %I…%p, which reads 12 AM (上午12) as 00 and 12 PM (下午12) as 12. The date must be year first (the
-- formats below): a day/month order is the mapping's to state (src/ingest/dates.ts warns).
CREATE OR REPLACE TEMP MACRO ingest_ts_12h_text(s) AS
  regexp_replace(
    regexp_replace(
      regexp_replace(replace(replace(s, '上午', ' AM '), '下午', ' PM '), '\s+', ' ', 'g'),
      '^(.*[\d日])\s*([AaPp][Mm])\s*(\d.*?)\s*$', '\1 \3 \2'),
    '(\d)\s*([AaPp][Mm])\s*$', '\1 \2');
CREATE OR REPLACE TEMP MACRO ingest_ts_12h_formats() AS
  ['%Y/%m/%d %I:%M:%S %p', '%Y/%m/%d %I:%M %p', '%Y/%m/%d %I:%M:%S.%f %p', '%Y-%m-%d %I:%M:%S %p', '%Y-%m-%d %I:%M %p',
   '%Y-%m-%d %I:%M:%S.%f %p', '%Y.%m.%d %I:%M:%S %p', '%Y.%m.%d %I:%M %p', '%Y年%m月%d日 %I:%M:%S %p',
   '%Y年%m月%d日 %I:%M %p', '%Y年%m月%d日 %I时%M分%S秒 %p', '%Y年%m月%d日 %I时%M分 %p'];

CREATE OR REPLACE TEMP MACRO ingest_ts_clean(s, user_formats, tz, own_offset) AS (
  CASE
    WHEN s IS NULL THEN NULL
    ELSE coalesce(
      -- an explicit offset first (DuckDB's plain TIMESTAMP cast drops some offsets and refuses others); the length
      -- test keeps the regular expression off the common 19-character form
      CASE WHEN (length(s) > 19 OR ends_with(s, 'Z'))
            AND regexp_matches(s, '\d[T ]?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$')
           THEN CASE WHEN own_offset AND NOT ends_with(s, 'Z')
                     THEN try_cast(regexp_replace(s, '\s*[+-]\d{2}(:?\d{2})?$', '') AS TIMESTAMP)
                     ELSE timezone(tz, try_cast(s AS TIMESTAMPTZ)) END END,
      try_cast(s AS TIMESTAMP),
      -- the list is never empty (strptime rejects an empty one): the caller appends a default format
      try_strptime(s, user_formats),
      -- a 12-hour clock (ingest_ts_12h_text), found by three substring searches: after the user's formats (which
      -- may name %p themselves) and before the list below, whose 22 failed tries cost a 12-hour export 3.5 times the
      -- whole read (bench in the commit message); the forms the list reads pay nothing measurable for the searches
      CASE WHEN contains(s, '午') OR contains(s, 'M') OR contains(s, 'm')
           THEN try_strptime(ingest_ts_12h_text(s), list_concat(user_formats, ingest_ts_12h_formats())) END,
      try_strptime(s, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M',
                       '%Y-%m-%d', '%Y.%m.%d %H:%M:%S', '%Y.%m.%d %H:%M', '%Y.%m.%d', '%Y/%m/%d %H:%M:%S.%f',
                       '%Y年%m月%d日 %H:%M:%S', '%Y年%m月%d日 %H:%M', '%Y年%m月%d日%H:%M:%S', '%Y年%m月%d日%H:%M',
                       '%Y年%m月%d日 %H时%M分%S秒', '%Y年%m月%d日 %H时%M分', '%Y年%m月%d日%H时%M分%S秒',
                       '%Y年%m月%d日%H时%M分', '%Y年%m月%d日', '%Y%m%d%H%M%S', '%Y%m%d %H:%M:%S', '%Y%m%d']),
      -- Excel serial day number (1900 date system), e.g. 45293.3355
      CASE WHEN regexp_full_match(s, '[1-9]\d{4}(\.\d+)?')
           THEN TIMESTAMP '1899-12-30 00:00:00' + to_seconds(round(s::DOUBLE * 86400)::BIGINT) END,
      CASE WHEN regexp_full_match(s, '1\d{9}') THEN timezone(tz, to_timestamp(s::BIGINT)) END,
      CASE WHEN regexp_full_match(s, '1\d{12}') THEN timezone(tz, to_timestamp(s::BIGINT / 1000.0)) END
    )
  END
);

-- The form nearly every export uses ('2024-01-02 08:03:00': 19 bytes, a digit first, no 'Z' for UTC): the plain cast,
-- which here gives what ingest_ts_clean would; NULL for anything else, which then takes the full way
-- (test/ingest/macros.test.ts compares the two on timestamps of every kind and their near misses).
CREATE OR REPLACE TEMP MACRO ingest_ts_plain(s) AS (
  CASE WHEN strlen(s) = 19 AND ascii(s) BETWEEN 48 AND 57 AND NOT contains(s, 'Z') THEN try_cast(s AS TIMESTAMP) END
);

-- A timestamp column as typed_rows.sql reads it: the plain form as it is, anything else trimmed and tried every way.
-- The outer CASE is not decoration: ingest_ts_clean uses its argument a dozen times, and DuckDB's common-subexpression
-- pass would lift that trim out of the coalesce and run it on every row (twice the cost of the whole read); it does
-- not look inside a CASE.
CREATE OR REPLACE TEMP MACRO ingest_ts_read(s, user_formats, tz, own_offset) AS (
  CASE WHEN s IS NULL THEN NULL
       ELSE coalesce(ingest_ts_plain(s), ingest_ts_clean(nullif(trim(s), ''), user_formats, tz, own_offset)) END
);

-- The same with a mapping's own formats tried before anything else: its '%m/%d/%y %H:%M' must read '1/9/19 9:04' as
-- 2019-01-09, where the generic cast would take it for 0001-09-19.
CREATE OR REPLACE TEMP MACRO ingest_ts_user(s, user_formats, tz, own_offset) AS (
  CASE WHEN s IS NULL THEN NULL
       ELSE coalesce(try_strptime(trim(s), user_formats), ingest_ts_read(s, user_formats, tz, own_offset)) END
);

-- A short field's blanks at either end: Unicode spaces (trim() alone: the no-break and ideographic spaces too) and the
-- tabs and line breaks a multi-line quoted cell ends in ('Stadtwerke Konstanz\r\n'), which trim() keeps: a unit or a
-- place so written would be another unit or place than the same name without them. Three passes cover a space after
-- a line break as well as before it.
CREATE OR REPLACE TEMP MACRO edge_trim(s) AS
  trim(trim(trim(s), chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || ' ' || chr(160) || chr(12288)));

CREATE OR REPLACE TEMP MACRO ingest_ts(raw, user_formats, tz, own_offset) AS
  ingest_ts_clean(nullif(trim(raw), ''), user_formats, tz, own_offset);

-- A zoned Parquet timestamp (an instant) as the wall clock of the zone its file states, with that zone's offset then
-- ('2018-10-24T18:00:00.000000-04:00'; src/ingest/parquet.ts writes it into the source view when the file's Arrow
-- schema names the zone): read from there as any time written with an offset (ingest_ts_clean) — its own wall clock
-- when the config names no city zone, converted to the city's zone when it does.
CREATE OR REPLACE TEMP MACRO ingest_wall_text(wall, off_s) AS
  strftime(wall, '%Y-%m-%dT%H:%M:%S.%f') || CASE WHEN off_s < 0 THEN '-' ELSE '+' END
  || lpad((abs(off_s) // 3600)::VARCHAR, 2, '0') || ':' || lpad((abs(off_s) % 3600 // 60)::VARCHAR, 2, '0');
-- (a zone name: the offset in force at each instant, daylight saving included)
CREATE OR REPLACE TEMP MACRO ingest_zoned_text(ts, zone) AS
  ingest_wall_text(timezone(zone, ts), (epoch_ms(timezone(zone, ts)) - epoch_ms(ts)) // 1000);
-- (a fixed offset, '+05:30' as an Arrow type may state it, in seconds)
CREATE OR REPLACE TEMP MACRO ingest_offset_text(ts, off_s) AS
  ingest_wall_text(timezone('UTC', ts) + to_seconds(off_s), off_s);

-- (list_contains, not IN: DuckDB plans an IN list of ten words as a hash join, two per column, and a 1M-row load spent
-- 0.3 CPU-s more in them than in these ten comparisons per word)
CREATE OR REPLACE TEMP MACRO ingest_bool(raw) AS (
  CASE
    WHEN list_contains(['1', 'true', 't', 'yes', 'y', '是', '已解决', '解决', '有', '√'], lower(trim(raw))) THEN true
    WHEN list_contains(['0', 'false', 'f', 'no', 'n', '否', '未解决', '不解决', '无', '×'], lower(trim(raw))) THEN false
  END
);

-- Phone and ID numbers inside free text. RE2 has no look-around, so the leading non-digit is captured and put back. Numbers are found as people write them:
-- grouped by hyphens or up to two blanks (139 8765 4321, 0755 8765 4321, 110101 19900307 1235), or by dots used
-- throughout (139.8765.4320); full-width digits are read as digits first (mask_pii).
CREATE OR REPLACE TEMP MACRO mask_mobile_pass(s) AS
  -- mobile, optionally +86 / 86 / 0086 prefixed, optionally grouped 3-4-4; a dot only when it separates both groups,
  -- so a decimal such as 135.12345678 is left alone; no digit right after it (SF1398765432101 is a waybill), which
  -- consumes the character after the number: see mask_mobiles
  regexp_replace(s,
    '(^|[^0-9])((?:(?:\+|00)?86[- ]?)?1[3-9][0-9])(?:[- ]{0,2}[0-9]{4}[- ]{0,2}|\.[0-9]{4}\.)([0-9]{4})([^0-9]|$)',
    '\1\2****\3\4', 'g');

-- Two passes: a number right after another with one character between them lost that character to the first match,
-- and the second pass finds it (three in a row alternate, so two passes find them all). The second is needed only
-- where a mobile-like number is left after the first; every such number was in the text already (masking only turns
-- digits into '*'), after the one the first pass masked. So a text with two mobile-like runs, one after the other,
-- takes both passes, any other text one. (The test is on the text itself: a macro that tested the first pass's result
-- would write that result three times, and inside a CASE DuckDB computes each copy.)
CREATE OR REPLACE TEMP MACRO mask_mobiles(s) AS
  CASE WHEN regexp_matches(s, '(?s)1[3-9][0-9](?:[- ]{0,2}|\.)[0-9]{4}.*1[3-9][0-9](?:[- ]{0,2}|\.)[0-9]{4}')
       THEN mask_mobile_pass(mask_mobile_pass(s))
       ELSE mask_mobile_pass(s) END;

CREATE OR REPLACE TEMP MACRO mask_ids(s) AS
  regexp_replace(
    regexp_replace(s,
      -- 18-digit resident ID, whole or grouped 6-8-4 / 6-4-4-4: keep region (6) and last 4
      '(^|[^0-9])([1-9][0-9]{5})[- ]?(?:19|20)[0-9]{2}[- ]?[0-9]{4}[- ]?([0-9]{3}[0-9Xx])', '\1\2********\3', 'g'),
    -- 15-digit resident ID (issued before 1999): region, a valid yymmdd, 3 digits, and no digit either side (a longer
    -- run is an order number); keep region and last 3
    '(^|[^0-9])([1-9][0-9]{5})[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])([0-9]{3})([^0-9Xx]|$)',
    '\1\2******\3\4', 'g');

CREATE OR REPLACE TEMP MACRO mask_pass(s) AS
  regexp_replace(
    mask_mobiles(mask_ids(s)),
    -- landline with area code: 010-12345678, 0311 1234567, (010)87654321, 031112345678, 0755 8765 4321, 0755.8765.4321
    '(^|[^0-9])([(（]?0[1-9][0-9]{1,2}[)）]?(?:[- ]{0,2}|\.))[0-9]{3,4}(?:[- ]?|\.)([0-9]{4})', '\1\2****\3', 'g');

-- What mask_pass gives, at a fraction of the cost. Each pass above scans the whole text, and a search for a digit
-- pattern runs RE2's automaton over every byte; a pattern that begins with one fixed character is searched with
-- memchr instead, several times faster. So such tests come first, each implied by a number of one kind (and each
-- still true after the passes before it, since masking only turns digits into '*'):
--   '1…' a mobile ('1[3-9]…', after any +86) or an ID born 19xx; '0…' a landline's area code and number;
--   '20…' an ID born 20xx. A 15-digit ID has no fixed first character, but its birth month starts with '0' or '1':
--   its test is the month, day and last three digits that follow ('0[1-9]dd…' or '1[0-2]dd…'), each led by one
--   fixed character (the exact pattern, digits either side included, is mask_ids').
-- A text none of them matches has nothing to mask (most texts). A text with a mobile and nothing else needs only the
-- mobile pass; anything else takes all three. test/ingest/macros.test.ts compares the two on generated texts.
-- (a landline, or the tail of a 15-digit ID born in January–September: both begin with '0', so one search)
CREATE OR REPLACE TEMP MACRO pii_landline_hint(s) AS
  regexp_matches(s, '0[1-9](?:[0-9]{1,2}[)）]?(?:[- ]{0,2}|\.)[0-9]{3,4}(?:[- ]?|\.)[0-9]{4}|(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}(?:[^0-9]|$))');
CREATE OR REPLACE TEMP MACRO pii_id19_hint(s) AS regexp_matches(s, '19[0-9]{2}[- ]?[0-9]{4}[- ]?[0-9]{3}[0-9Xx]');
CREATE OR REPLACE TEMP MACRO pii_id20_hint(s) AS regexp_matches(s, '20[0-9]{2}[- ]?[0-9]{4}[- ]?[0-9]{3}[0-9Xx]');
-- (the tail of a 15-digit ID born in October–December; January–September is in pii_landline_hint)
CREATE OR REPLACE TEMP MACRO pii_id15_hint(s) AS
  regexp_matches(s, '1[0-2](?:0[1-9]|[12][0-9]|3[01])[0-9]{3}(?:[^0-9]|$)');

-- North American numbers (US and Canadian exports): (617) 555-0123, 617-555-0123, 617.555.0123, +1 617 555 0123;
-- area code and exchange start with 2-9, so dates (2015-01-24), ZIP+4 (02115-1234) and house ranges (1679-1677)
-- never fit. The same rule as NANP in src/store/mask.ts (test/ingest/pii-corpus.test.ts runs both on one corpus):
-- area code and last two digits kept, +1 dropped. The character after the number is consumed (no look-ahead in RE2),
-- so two numbers one character apart take a second pass.
CREATE OR REPLACE TEMP MACRO mask_nanp_pass(s) AS
  regexp_replace(s,
    '(^|[^0-9A-Za-z_])(?:\+?1[-. ]?)?(?:\(([2-9][0-9]{2})\) ?|([2-9][0-9]{2})[-. ])[2-9][0-9]{2}[-. ][0-9]{2}([0-9]{2})([^0-9]|$)',
    '\1\2\3-***-**\4\5', 'g');

-- Every such number has a '-', '.' or ' ' before its last four digits: three memchr-fast searches keep the pattern
-- off most Chinese texts. (Tested on the text before the Chinese masks: those only turn digits and separators into
-- '*', so a number they leave was there before.)
CREATE OR REPLACE TEMP MACRO pii_nanp_hint(s) AS
  (contains(s, '-') OR contains(s, '.') OR contains(s, ' ')) AND regexp_matches(s, '[2-9][0-9]{2}[-. ][0-9]{4}');

CREATE OR REPLACE TEMP MACRO mask_cn_pii(s) AS (
  CASE
    -- '1…' covers the mobiles, the IDs born 19xx and the 15-digit IDs born in October–December in one search
    WHEN NOT (regexp_matches(s, '1(?:[3-9][0-9](?:[- ]{0,2}|\.)[0-9]{4}|9[0-9]{2}[- ]?[0-9]{4}[- ]?[0-9]{3}[0-9Xx]|[0-2](?:0[1-9]|[12][0-9]|3[01])[0-9]{3}(?:[^0-9]|$))')
              OR pii_landline_hint(s) OR pii_id20_hint(s))
      THEN s
    WHEN NOT pii_landline_hint(s) AND NOT pii_id19_hint(s) AND NOT pii_id20_hint(s) AND NOT pii_id15_hint(s)
      THEN mask_mobiles(s)
    ELSE mask_pass(s)
  END
);

-- Chinese forms first, then North American ones (each branch holds one copy of mask_cn_pii: a macro that used its
-- argument in a test and a pass would compute it twice)
CREATE OR REPLACE TEMP MACRO mask_ascii_pii(s) AS
  CASE WHEN pii_nanp_hint(s) THEN mask_nanp_pass(mask_nanp_pass(mask_cn_pii(s))) ELSE mask_cn_pii(s) END;

-- Ten substring searches (memchr-fast) cost half of one search for the class [０-９] over Chinese text, whose bytes
-- start with the class's lead byte everywhere.
CREATE OR REPLACE TEMP MACRO has_fullwidth_digit(s) AS
  contains(s, '０') OR contains(s, '１') OR contains(s, '２') OR contains(s, '３') OR contains(s, '４')
  OR contains(s, '５') OR contains(s, '６') OR contains(s, '７') OR contains(s, '８') OR contains(s, '９');

-- Full-width digits (１３９８７６５４３２１, typed on a Chinese keyboard) are masked like ASCII ones: the text is read with
-- them as ASCII digits, and kept as it was when nothing in it needed masking.
CREATE OR REPLACE TEMP MACRO mask_common_pii(s) AS (
  CASE
    WHEN s IS NULL OR NOT has_fullwidth_digit(s) THEN mask_ascii_pii(s)
    ELSE CASE WHEN mask_ascii_pii(translate(s, '０１２３４５６７８９', '0123456789')) = translate(s, '０１２３４５６７８９', '0123456789')
              THEN s
              ELSE mask_ascii_pii(translate(s, '０１２３４５６７８９', '0123456789')) END
  END
);

-- The rarer forms, found by one search so that a text with none of them (nearly all) pays for one pass only:
-- * digits grouped by a dash other than '-' (0455—6876021, １３９－８７６５－４３２１: the em dash and full-width hyphen of a
--   Chinese input method; en dash, Unicode hyphen, minus) or by a no-break or ideographic space (from a web page);
-- * invisible format characters — zero-width space and joiners, word joiner, a byte-order mark inside the text, soft
--   hyphen — which carry no text, and inside a number (139​8765​4321) hid it from every rule;
-- * digits written as Chinese numerals, as a number is read out and typed from a call (一三九八七六五四三二一, 幺三九…,
--   壹叁玖…): seven or more in a row — no word or date of ordinary text runs to seven (三三两两, 二〇二二年十二月: 十 is no
--   digit).
-- (The one search costs what the numerals' search alone did — about 1 CPU-s per million texts of 200 characters; a
-- substring search per character plus it cost more: bench/mask-cost.ts.)
CREATE OR REPLACE TEMP MACRO pii_rare_form(s) AS
  regexp_matches(s, '[0-9０-９][－—–‐‑−\x{00A0}\x{3000}]|[\x{200B}-\x{200D}\x{2060}\x{FEFF}\x{00AD}]|[〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]{7}');

-- The ASCII form of a rare-form text: full-width digits as digits, one or two dashes after a digit as one '-', a
-- no-break or ideographic space after a digit as a blank.
CREATE OR REPLACE TEMP MACRO pii_ascii_form(s) AS
  regexp_replace(regexp_replace(translate(s, '０１２３４５６７８９', '0123456789'), '([0-9])[－—–‐‑−]{1,2}', '\1-', 'g'),
                 '([0-9])[\x{00A0}\x{3000}]', '\1 ', 'g');

-- Each run of seven or more numerals on its own: the first three and the last two kept, as 139****21 would be; a run of
-- fewer than three distinct numerals (一一一一一一一, a filler or a drawn-out 一) is no number.
CREATE OR REPLACE TEMP MACRO mask_cn_numerals(s) AS
  list_reduce(
    list_prepend(s, regexp_extract_all(s, '[〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]{7,}')),
    (acc, run) -> CASE WHEN len(list_distinct(string_split(run, ''))) >= 3
                       THEN replace(acc, run, left(run, 3) || '****' || right(run, 2))
                       ELSE acc END);

-- A rare-form text: the invisible characters removed (also where no number needed masking: they are no text),
-- numerals masked, then masked as its ASCII form reads — kept as it was where that masked nothing.
CREATE OR REPLACE TEMP MACRO mask_rare_visible(t) AS (
  CASE WHEN mask_ascii_pii(pii_ascii_form(t)) = pii_ascii_form(t) THEN t ELSE mask_ascii_pii(pii_ascii_form(t)) END
);
CREATE OR REPLACE TEMP MACRO mask_rare_pii(s) AS
  mask_rare_visible(mask_cn_numerals(regexp_replace(s, '[\x{200B}-\x{200D}\x{2060}\x{FEFF}\x{00AD}]', '', 'g')));

-- Whether a text can hold anything the masks change. Every number they mask has ten digits or more (a mobile 11, a
-- landline with its area code 10, a North American number 10, an ID 15 or 18; full-width digits count as digits),
-- and the rare forms change a text only by removing an invisible character or masking a run of seven numerals; a text
-- with none of the three (most texts: a date and a house number are fewer than ten digits) is returned as it is after
-- this one scan, instead of the several searches below (bench/mask-cost.ts; the gate is implied by every mask, which
-- test/ingest/pii-corpus.test.ts and macros.test.ts check on the corpus and on generated texts).
CREATE OR REPLACE TEMP MACRO pii_possible(s) AS
  regexp_matches(s, '(?:[0-9０-９][^0-9０-９]*){10}|[\x{200B}-\x{200D}\x{2060}\x{FEFF}\x{00AD}]|[〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]{7}');

-- Phone and ID numbers in every form (the stored content and address, quarantined rows and their reasons).
CREATE OR REPLACE TEMP MACRO mask_pii(s) AS
  CASE WHEN NOT pii_possible(s) THEN s WHEN pii_rare_form(s) THEN mask_rare_pii(s) ELSE mask_common_pii(s) END;

-- A raw phone field as it may appear in a quarantined row: keep only enough to recognise it.
CREATE OR REPLACE TEMP MACRO mask_phone_digits(s) AS (
  CASE WHEN s IS NULL OR trim(s) = '' THEN s
       WHEN length(regexp_replace(s, '[^0-9]', '', 'g')) >= 8
         THEN left(regexp_replace(s, '[^0-9]', '', 'g'), 3) || '****' || right(regexp_replace(s, '[^0-9]', '', 'g'), 4)
       ELSE '****' END
);
CREATE OR REPLACE TEMP MACRO mask_phone_field(s) AS mask_phone_digits(translate(s, '０１２３４５６７８９', '0123456789'));

-- Phone number normalised before hashing, so '+86 138-1234-5678' and '13812345678' are the same caller.
CREATE OR REPLACE TEMP MACRO phone_digits(d) AS (
  CASE
    WHEN length(d) = 15 AND starts_with(d, '0086') THEN d[5:]
    WHEN length(d) = 13 AND starts_with(d, '861') THEN d[3:]
    ELSE d END
);

-- (full-width digits read as digits: １３８１２３４５６７８ is the same caller as 13812345678; a field of digits only,
-- as most phone columns are, skips the translate and the replacement, which give it back unchanged)
CREATE OR REPLACE TEMP MACRO phone_norm(s) AS (
  CASE WHEN regexp_full_match(s, '[0-9]+') THEN phone_digits(s)
       ELSE phone_digits(nullif(regexp_replace(
         translate(coalesce(s, ''), '０１２３４５６７８９', '0123456789'), '[^0-9]', '', 'g'), '')) END
);

-- GCJ-02 ("火星坐标") offset at a point, Krasovsky ellipsoid; closed form from the published algorithm.
CREATE OR REPLACE TEMP MACRO gcj_tlat(x, y) AS
  -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
  + (20.0 * sin(6.0 * x * pi()) + 20.0 * sin(2.0 * x * pi())) * 2.0 / 3.0
  + (20.0 * sin(y * pi()) + 40.0 * sin(y / 3.0 * pi())) * 2.0 / 3.0
  + (160.0 * sin(y / 12.0 * pi()) + 320.0 * sin(y * pi() / 30.0)) * 2.0 / 3.0;

CREATE OR REPLACE TEMP MACRO gcj_tlon(x, y) AS
  300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
  + (20.0 * sin(6.0 * x * pi()) + 20.0 * sin(2.0 * x * pi())) * 2.0 / 3.0
  + (20.0 * sin(x * pi()) + 40.0 * sin(x / 3.0 * pi())) * 2.0 / 3.0
  + (150.0 * sin(x / 12.0 * pi()) + 300.0 * sin(x / 30.0 * pi())) * 2.0 / 3.0;

CREATE OR REPLACE TEMP MACRO gcj_dlat(lon, lat) AS
  gcj_tlat(lon - 105.0, lat - 35.0) * 180.0
  / ((6378245.0 * (1 - 0.00669342162296594323)) / ((1 - 0.00669342162296594323 * sin(radians(lat)) ^ 2) ^ 1.5) * pi());

CREATE OR REPLACE TEMP MACRO gcj_dlon(lon, lat) AS
  gcj_tlon(lon - 105.0, lat - 35.0) * 180.0
  / (6378245.0 / sqrt(1 - 0.00669342162296594323 * sin(radians(lat)) ^ 2) * cos(radians(lat)) * pi());

CREATE OR REPLACE TEMP MACRO in_china(lon, lat) AS lon BETWEEN 72.004 AND 137.8347 AND lat BETWEEN 0.8293 AND 55.8271;

-- BD-09 (Baidu) → GCJ-02 is closed form; GCJ-02 → WGS-84 is iterated in sql/ingest/to_wgs84.sql.
CREATE OR REPLACE TEMP MACRO bd_gcj_z(x, y) AS sqrt(x * x + y * y) - 0.00002 * sin(y * pi() * 3000.0 / 180.0);
CREATE OR REPLACE TEMP MACRO bd_gcj_t(x, y) AS atan2(y, x) - 0.000003 * cos(x * pi() * 3000.0 / 180.0);

-- Unparseable rows are kept as raw text; a bare 7–8 digit local number in them may be a phone without area code.
CREATE OR REPLACE TEMP MACRO mask_local_numbers(s) AS
  regexp_replace(regexp_replace(s, '(^|[^0-9])[2-9][0-9]{2,3}([0-9]{4})([^0-9]|$)', '\1****\2\3', 'g'),
                 '(^|[^0-9])[2-9][0-9]{2,3}([0-9]{4})([^0-9]|$)', '\1****\2\3', 'g');

-- A field's name (params.sql name_*) followed by what is said of it, for a quarantine reason: a space after the
-- canonical name ('受理时间 created_at 无法识别'), none after a full-width bracket ('投诉时间（受理时间 created_at）无法识别')
CREATE OR REPLACE TEMP MACRO ingest_field_says(name, said) AS (
  name || CASE WHEN ends_with(name, '）') THEN '' ELSE ' ' END || said
);
