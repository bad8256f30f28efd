import type { Store } from '../store/db.js';
import { ident, lit } from '../store/sql.js';
import { CANONICAL, type ResolvedMapping } from './mapping.js';

const nonEmpty = (h: string) => `nullif(trim(${ident(h)}::VARCHAR), '')`;
/** The place columns whose values may name no place (市辖区 …, the list params.sql binds as place_placeholders). */
const PLACES = new Set(['district', 'street', 'community']);
/** A place value, empty when it is one of `nil` (the file's own spellings of 市辖区 …): the next column mapped to the
 * same field then fills it. */
const placeValue = (nil: readonly string[]) => (h: string) =>
  `CASE WHEN ${ident(h)}::VARCHAR IN (${nil.map(lit).join(', ')}) THEN NULL ELSE ${nonEmpty(h)} END`;
/** Canonical columns a number may fill as it is (typed_rows.sql reads them with try_cast, whatever their type). */
const NUMERIC_OK = new Set(['lon', 'lat']);

/**
 * One coordinate of a column holding both ('116.397428,39.90923', '116.397428，39.90923', '(116.39 39.90)'): the
 * first or second number. A value not of that form is given whole, so the check names it (经度 lon 不是数字：…).
 */
const PAIR = `'^\\s*[(（]?\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*(?:[,，;；/]|\\s)\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*[)）]?\\s*$'`;
const pairPart = (h: string, group: 1 | 2) =>
  `CASE WHEN regexp_matches(${ident(h)}::VARCHAR, ${PAIR}) THEN regexp_extract(${ident(h)}::VARCHAR, ${PAIR}, ${group}) ELSE ${nonEmpty(h)} END`;

/** Blanks at either end of a text: ASCII whitespace (tabs, line breaks) and Unicode spaces (U+3000 included). */
const EDGE_BLANKS = `'^[\\s\\p{Zs}]+|[\\s\\p{Zs}]+$'`;
/** A part that ends a sentence by itself needs no '。' after it ('要开业了！' + detail, not '要开业了！。'). */
const SENTENCE_END = `'[。！？!?…;；.．]$'`;
/**
 * Two parts with no Chinese character in either (an English 311 export's description and its request type) are
 * joined as English is written — '. ', or a space after their own full stop — not by '。' ('…three months。Graffiti').
 * A Chinese part decides for '。' even where it ends or starts with digits ('…G15' + '2023年…').
 */
const LATIN_SEAM = (a: string, b: string) =>
  `NOT regexp_matches(${a}, '\\p{Han}') AND NOT regexp_matches(${b}, '\\p{Han}')`;
const trimmedPart = (h: string) => `nullif(regexp_replace(${ident(h)}::VARCHAR, ${EDGE_BLANKS}, '', 'g'), '')`;

/**
 * The non-empty values of several columns, each trimmed at both ends (tabs, line breaks, full-width spaces), joined
 * by '。' unless what comes before already ends in sentence punctuation (in Latin script by '. '); a part already
 * contained adds nothing.
 */
export function joinedText(srcs: string[]): string {
  const list = `list_filter([${srcs.map(trimmedPart).join(', ')}], x -> x IS NOT NULL)`;
  const glue =
    `CASE WHEN ${LATIN_SEAM('acc', 'x')} THEN acc || CASE WHEN regexp_matches(acc, '[.!?;:]$') THEN ' ' ELSE '. ' END || x ` +
    `WHEN regexp_matches(acc, ${SENTENCE_END}) THEN acc || x ELSE acc || '。' || x END`;
  const join = `CASE WHEN contains(acc, x) THEN acc WHEN contains(x, acc) THEN x ELSE ${glue} END`;
  return `CASE WHEN len(${list}) = 0 THEN NULL ELSE list_reduce(${list}, (acc, x) -> ${join}) END`;
}

/**
 * The temp view ingest_mapped: one VARCHAR per canonical column, read from the source headers the mapping
 * resolved (the first non-empty of several synonyms; for content, every non-empty one joined by '。'), plus `_raw`, the source row as JSON for quarantine, with
 * any raw phone column masked. lon and lat stay DOUBLE when read from one numeric source column (`numeric`). A place
 * value that names no place (市辖区, 省直辖县级行政区划 …) is empty. Needs ingest_params (params.sql) first.
 */
export async function createMappedView(
  store: Store,
  r: ResolvedMapping,
  headers: string[],
  numeric: ReadonlySet<string> = new Set(),
  placeNil: readonly string[] = [],
): Promise<void> {
  const exprs: string[] = ['_rec', '_line'];
  for (const c of CANONICAL) {
    const srcs = r.sources[c] ?? [];
    // only a file that holds such a name pays for the test (placePlaceholders found them, with their exact spelling)
    const nil = PLACES.has(c) && placeNil.length > 0;
    const one = nil ? placeValue(placeNil) : nonEmpty;
    // a column holding both coordinates gives lon its first or second number, as the mapping's order says
    const pair = (c === 'lon' || c === 'lat') && srcs.some((h) => r.pairs.has(h));
    const part = (h: string) => {
      const order = r.pairs.get(h);
      return order ? pairPart(h, (order === 'lonlat') === (c === 'lon') ? 1 : 2) : nonEmpty(h);
    };
    let e =
      srcs.length === 0
        ? 'NULL'
        : pair
          ? `coalesce(${srcs.map(part).join(', ')})`
          : srcs.length === 1 && !nil
            ? ident(srcs[0])
            : `coalesce(${srcs.map(one).join(', ')})`;
    // a title and a detail column both mapped to content are joined (the title is often the clearest sentence)
    // (a value already contained in what is joined so far adds nothing; one that contains it replaces it)
    if (c === 'content' && srcs.length > 1) e = joinedText(srcs);
    if (c === 'category' && r.categoryLevels.length) e = withLevelColumns(srcs, r.categoryLevels);
    else if (c === 'category' && r.levelsList) e = `coalesce(${levelsFromList(r.levelsList)}, ${e})`;
    const asNumber = NUMERIC_OK.has(c) && srcs.length === 1 && numeric.has(srcs[0]) && !pair;
    exprs.push(asNumber ? `${e} AS ${c}` : `${e}::VARCHAR AS ${c}`);
  }
  const phones = new Set(r.phoneHeaders);
  const raw = headers.map((h) => `${lit(h)}, ${phones.has(h) ? `mask_phone_field(${ident(h)})` : ident(h)}`);
  // json_object takes at most a few hundred arguments comfortably; exports have tens of columns
  exprs.push(`json_object(${raw.join(', ')})::VARCHAR AS _raw`);
  await store.exec(`CREATE OR REPLACE TEMP VIEW ingest_mapped AS SELECT ${exprs.join(', ')} FROM ingest_src`);
}

/**
 * A record with every field empty is not an order (an export's trailing ',,,,,' rows, a spreadsheet's used range
 * past the data): it is skipped like a blank line, not quarantined. Such a row has no order id, so only the rows of
 * `table` (ingest_rows or ingest_check) without one are looked at, after validation — a filter on every row of the
 * view cost each pass over it 0.08 CPU-s per million rows. Returns the rows removed.
 */
export async function dropBlankRows(
  store: Store,
  table: 'ingest_rows' | 'ingest_check',
  headers: string[],
): Promise<number> {
  const blank = headers.length
    ? `coalesce(${headers.map((h) => `nullif(trim(s.${ident(h)}::VARCHAR), '')`).join(', ')}) IS NULL`
    : 'true';
  const noId = `SELECT _rec FROM ${table} WHERE order_id IS NULL`;
  return store.exec(
    `DELETE FROM ${table} WHERE order_id IS NULL AND _rec IN (SELECT s._rec FROM ingest_src s WHERE s._rec IN (${noId}) AND ${blank})`,
  );
}

/**
 * The category read from the mapping's level columns (一级分类, 二级分类 …; Complaint Type, Descriptor), or from a
 * path column first when the mapping names one. The level names are joined with U+001F, which no export writes, and
 * the text starts with one to mark it: categories.sql then splits on that mark alone, so a '/' inside a name
 * ('HEAT/HOT WATER') stays in it. Empty levels are kept as '' so a missing middle level can be counted; all levels
 * empty stays NULL (an empty category).
 */
function withLevelColumns(srcs: string[], levels: string[]): string {
  const any = `coalesce(${levels.map(nonEmpty).join(', ')})`;
  const parts = levels.map((h) => `coalesce(trim(${ident(h)}::VARCHAR), '')`).join(', ');
  const joined = `CASE WHEN ${any} IS NOT NULL THEN chr(31) || concat_ws(chr(31), ${parts}) END`;
  return srcs.length ? `coalesce(${srcs.map(nonEmpty).join(', ')}, ${joined})` : joined;
}

/**
 * The level names of a category_levels column, a JSON list (`["HEAT/HOT WATER","ENTIRE BUILDING"]`: a Parquet or
 * Arrow list, or the text of one), marked and joined as withLevelColumns does, so each name is kept whole. A value
 * that is not a list with a named level gives NULL: the row's category path is read instead.
 */
function levelsFromList(h: string): string {
  const v = ident(h);
  const names = `list_transform(from_json(${v}, '["VARCHAR"]'), x -> coalesce(trim(x), ''))`;
  const isList = `json_valid(${v}) AND json_type(${v}) = 'ARRAY'`;
  return `CASE WHEN ${isList} AND len(list_filter(${names}, x -> x <> '')) > 0 THEN chr(31) || array_to_string(${names}, chr(31)) END`;
}

/**
 * SQL parameters for category paths (regular expressions): `sep_dirty` finds a path that needs normalising (a
 * separator other than '/', a blank, or a '/' at an end or doubled), `sep_run` a run of separators with the blanks
 * around it, `sep_gap` an empty level between two named ones ('城市管理//内涝积水'), which normalising closes up, so
 * the third level reads as the second. `sep_spaced` finds a separator with blanks on both sides ('Müll/Sauberkeit >
 * Illegaler Müll'), `sep_spaced_run` a run of them: in a file that writes every separator so, a bare '/' is part of a
 * level's name (categories.sql).
 */
export function separatorParams(chars: string): {
  sep_dirty: string;
  sep_run: string;
  sep_gap: string;
  sep_spaced: string;
  sep_spaced_run: string;
} {
  const set = new Set([...chars, '/']);
  const esc = (c: string) => (/[\\\][^-]/.test(c) ? '\\' + c : c);
  const inner = [...set].map(esc).join('');
  const cls = '[' + inner + ']';
  const others = [...set]
    .filter((c) => c !== '/')
    .map(esc)
    .join('');
  return {
    sep_dirty: `[${others} \t\u3000]|^/|/$|//`,
    sep_run: `\\s*(?:${cls}\\s*)+`,
    sep_gap: `[^${inner}\\s]\\s*${cls}(?:\\s*${cls})+\\s*[^${inner}\\s]`,
    sep_spaced: `\\s${cls}+\\s`,
    sep_spaced_run: `\\s+${cls}+(?:\\s+${cls}+)*\\s+`,
  };
}

/** The place values of a file that name no place, as the file spells them, and the load's warning about them. */
export interface PlacePlaceholders {
  /** Raw values (untrimmed, as in the file) that createMappedView reads as empty. */
  values: string[];
  /** The warning naming them with counts; undefined when there were none. */
  warning?: string;
}

/**
 * Finds the place values (区县/街道/社区 columns) that name no place (市辖区 …, ingest_params.place_placeholders), for
 * the mapped view and the load's warning. Each column's distinct values first (a few thousand places), so trim and
 * lower run on those, not on every row. Needs ingest_src and ingest_params.
 */
export async function placePlaceholders(store: Store, r: ResolvedMapping): Promise<PlacePlaceholders> {
  const cols = [...PLACES].flatMap((c) => r.sources[c as keyof typeof r.sources] ?? []);
  if (!cols.length) return { values: [] };
  const values = cols
    .map((h) => `SELECT ${ident(h)}::VARCHAR AS v, count(*) AS n FROM ingest_src GROUP BY 1`)
    .join(' UNION ALL ');
  const rows = await store.all<{ v: string; n: number }>(
    `SELECT v, sum(n)::INTEGER AS n FROM (${values}), ingest_params p
     WHERE list_contains(p.place_placeholders, lower(trim(v))) GROUP BY 1`,
  );
  if (!rows.length) return { values: [] };
  const byName = new Map<string, number>();
  for (const x of rows) byName.set(x.v.trim(), (byName.get(x.v.trim()) ?? 0) + Number(x.n));
  const sorted = [...byName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const total = sorted.reduce((n, [, k]) => n + k, 0);
  const names = sorted.map(([v, k]) => `'${v}' ${k}`).join('、');
  return {
    values: rows.map((x) => x.v),
    warning: `${total}个地名不指具体地点（${names}），按空值读入（字段映射为同一字段列出的下一列会补上）`,
  };
}

/** Two decimal numbers of at most three integer digits in one cell: what a 坐标 column holds. */
const PAIR_HINT = `'^\\s*[(（]?\\s*-?[0-9]{1,3}\\.[0-9]+\\s*(?:[,，;；/]|\\s)\\s*-?[0-9]{1,3}\\.[0-9]+\\s*[)）]?\\s*$'`;

/**
 * The warning for columns no mapping reads whose values hold two coordinates each (坐标 '116.397428,39.90923'),
 * judged on the first 1,000 rows (every non-empty value there of that form, and some): it names the column and the
 * mapping entry that reads it. Undefined when there is none.
 */
export async function pairColumnsWarning(store: Store, ignored: string[]): Promise<string | undefined> {
  const cols = ignored.slice(0, 50);
  if (!cols.length) return undefined;
  const v = (h: string) => `nullif(trim(${ident(h)}::VARCHAR), '')`;
  const sel = cols.map(
    (h, i) =>
      `count(${v(h)}) AS n${i}, count(*) FILTER (WHERE regexp_matches(${v(h)}, ${PAIR_HINT})) AS m${i}, ` +
      `min(${v(h)}) FILTER (WHERE regexp_matches(${v(h)}, ${PAIR_HINT})) AS s${i}`,
  );
  const r = await store.one<Record<string, number | string | null>>(
    `SELECT ${sel.join(', ')} FROM (SELECT * FROM ingest_src LIMIT 1000)`,
  );
  if (!r) return undefined;
  const found = cols.flatMap((h, i) =>
    Number(r[`n${i}`]) > 0 && Number(r[`m${i}`]) === Number(r[`n${i}`]) ? [{ h, sample: String(r[`s${i}`]) }] : [],
  );
  if (!found.length) return undefined;
  const names = found.map((f) => `${f.h}（如 ${f.sample}）`).join('、');
  return (
    `以下列每格是两个数（经纬度写在一起），未读入：${names}；可在字段映射的 columns 中写 ` +
    `"${found[0].h}": "lonlat"（经度在前）或 "latlon"（纬度在前）`
  );
}
