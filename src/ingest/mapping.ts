import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../store/config.js';
import { UserError } from '../store/errors.js';
import { dataPath } from '../store/paths.js';

/** CONTRACT §1 columns plus the optional extensions an export may carry. */
export const CANONICAL = [
  'order_id',
  'created_at',
  'category',
  'content',
  'district',
  'street',
  'community',
  'address',
  'lon',
  'lat',
  'caller_hash',
  'channel',
  'order_type',
  'dept',
  'closed_at',
  'satisfaction',
  'resolved',
  'dispatch_count',
  'reopened',
  // raw phone number: hashed with the salt on the way in, never stored
  'caller_phone',
] as const;
export type Canonical = (typeof CANONICAL)[number];

export const REQUIRED: readonly Canonical[] = ['order_id', 'created_at', 'category', 'content'];

/** A column holding both coordinates in one cell ('116.397428,39.90923'): longitude first, or latitude first. */
export const COORD_PAIRS = ['lonlat', 'latlon'] as const;
export type CoordPair = (typeof COORD_PAIRS)[number];

export const MappingSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    /** source header → canonical column; several headers may name the same column (first non-empty wins; content joins them all). */
    // ('lonlat' / 'latlon': one column holding both coordinates, read into lon and lat)
    columns: z.record(z.string(), z.enum([...CANONICAL, ...COORD_PAIRS])).default({}),
    /** Headers holding category levels (一级分类, 二级分类 …), joined with '/' into `category`. */
    category_levels: z.array(z.string()).default([]),
    /** Characters that separate category levels in the source (each becomes '/'). */
    // the path separators exports use (城市管理＞市容环境, 城市管理>…, 城市管理｜…); hyphens only by choice, as names carry them
    category_separators: z.string().default('/>＞／|｜→'),
    /** Level names that mean 'no value' (N/A, 无 …): such a level ends the path. Default: data/ingest/placeholder-levels.json. */
    category_placeholders: z.array(z.string()).optional(),
    /** 区县/街道/社区 values that name no place (市辖区, 县 …): read as empty. Default: data/ingest/placeholder-places.json. */
    place_placeholders: z.array(z.string()).optional(),
    /** Coordinate system of lon/lat in the source. */
    coords: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84'),
    /** Extra DuckDB strptime formats for created_at / closed_at, tried before the built-in ones. */
    timestamp_formats: z.array(z.string()).default([]),
    /** Header of the raw caller phone column (shorthand for columns[header] = 'caller_phone'). */
    phone_column: z.string().optional(),
    /** Every header the mapping names must exist in each file (default). A preset of synonyms sets false. */
    require_all: z.boolean().default(true),
    /** CSV field delimiter; detected from the header line when absent. */
    delimiter: z.string().min(1).max(1).optional(),
    /** Force the CSV encoding instead of detecting it. */
    encoding: z.enum(['auto', 'utf-8', 'gb18030']).default('auto'),
    /** XLSX: the sheet to read (default: the first). */
    sheet: z.string().optional(),
  })
  .strict();

export type Mapping = z.infer<typeof MappingSchema> & { label: string };

export const PRESET = '12345-zh';

/** A mapping file path, or the name of a preset under data/mappings/. */
export function loadMapping(ref: string): Mapping {
  const file = existsSync(ref)
    ? ref
    : existsSync(dataPath(`mappings/${ref}.json`))
      ? dataPath(`mappings/${ref}.json`)
      : undefined;
  if (!file) throw new UserError(`找不到字段映射：${ref}（应为 JSON 文件，或预置映射名，如 ${PRESET}）`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`字段映射 ${file} 不是有效的 JSON（${(err as Error).message.split('\n')[0]}）`);
  }
  const parsed = MappingSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`字段映射 ${file} 有误：${formatZodError(parsed.error)}`);
  const m = parsed.data;
  if (m.phone_column) m.columns[m.phone_column] = 'caller_phone';
  return { ...m, label: m.name ?? basename(file) };
}

/** The identity mapping: files that already carry the canonical headers. */
export function canonicalMapping(): Mapping {
  return { ...MappingSchema.parse({ require_all: false }), label: 'canonical' };
}

/** One canonical column and the source headers it is read from, in priority order. */
export interface ResolvedMapping {
  mapping: Mapping;
  sources: Partial<Record<Canonical, string[]>>;
  categoryLevels: string[];
  /**
   * A column named category_levels (weisu's own export writes one): the level names as a list, read as they are
   * before the category path is split (mapped.ts).
   */
  levelsList?: string;
  /** Headers the mapping does not use (kept in quarantine raw rows, otherwise ignored). */
  ignored: string[];
  /** Header of the raw phone column(s), masked in quarantine raw rows. */
  phoneHeaders: string[];
  /** Columns holding both coordinates (also listed in sources.lon and sources.lat), with their order. */
  pairs: Map<string, CoordPair>;
}

/** Characters a terminal or a cron mail does not show as text: control characters and undecodable bytes (U+FFFD). */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd]/g;
const HEADER_LIST_CHARS = 200;

/**
 * A file's headers for an error line: one line whatever the file holds (a binary file read as CSV has control
 * bytes and line breaks in its "header"), so non-printable characters are written as \xNN (U+FFFD as ?) and the
 * list is cut after HEADER_LIST_CHARS characters.
 */
export function headerList(headers: string[]): string {
  const text = headers
    .map((h) =>
      h.replace(UNPRINTABLE, (c) => (c === '\ufffd' ? '?' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)),
    )
    .join(', ');
  return text.length > HEADER_LIST_CHARS
    ? `${text.slice(0, HEADER_LIST_CHARS)}…${headers.length > 1 ? `（共 ${headers.length} 列）` : ''}`
    : text;
}

/**
 * Match a file's headers against a mapping. Canonical headers always map to themselves. Errors (one line,
 * naming the file) when the mapping names a header the file lacks (require_all) or a required field has no
 * column at all.
 */
export function resolveMapping(file: string, headers: string[], mapping: Mapping): ResolvedMapping {
  const present = new Set(headers);
  if (mapping.require_all) {
    const named = [...Object.keys(mapping.columns), ...mapping.category_levels];
    const missing = named.filter((h) => !present.has(h));
    if (missing.length)
      throw new UserError(
        `${file}：字段映射 ${mapping.label} 中的列在文件中不存在：${missing.join(', ')}（文件的列：${headerList(headers)}）`,
      );
  }
  const sources: Partial<Record<Canonical, string[]>> = {};
  const used = new Set<string>();
  const add = (c: Canonical, h: string) => {
    (sources[c] ??= []).push(h);
    used.add(h);
  };
  const pairs = new Map<string, CoordPair>();
  // mapping order first: it states the priority among synonyms
  for (const [h, c] of Object.entries(mapping.columns)) {
    if (!present.has(h)) continue;
    if (c !== 'lonlat' && c !== 'latlon') add(c, h);
    else {
      pairs.set(h, c);
      add('lon', h);
      add('lat', h);
    }
  }
  for (const h of headers) {
    const c = h.trim().toLowerCase() as Canonical;
    if (!used.has(h) && (CANONICAL as readonly string[]).includes(c)) add(c, h);
  }
  const categoryLevels = mapping.category_levels.filter((h) => present.has(h));
  categoryLevels.forEach((h) => used.add(h));
  // the level names a store wrote (export → ingest restores them whole, '/' inside a name included); level columns
  // the mapping names come first
  const levelsList = categoryLevels.length
    ? undefined
    : headers.find((h) => !used.has(h) && h.trim().toLowerCase() === 'category_levels');
  if (levelsList) used.add(levelsList);
  for (const req of REQUIRED) {
    if (sources[req]?.length) continue;
    if (req === 'category' && categoryLevels.length) continue;
    const expected = [
      ...Object.entries(mapping.columns)
        .filter(([, c]) => c === req)
        .map(([h]) => h),
      req,
    ];
    if (req === 'category') expected.push(...mapping.category_levels);
    throw new UserError(
      `${file}：找不到必填字段 ${req} 对应的列（查找过：${expected.join(', ')}；文件的列：${headerList(headers)}）`,
    );
  }
  return {
    mapping,
    sources,
    categoryLevels,
    levelsList,
    ignored: headers.filter((h) => !used.has(h)),
    phoneHeaders: sources.caller_phone ?? [],
    pairs,
  };
}

/** The fields the quarantine reasons name (typed_rows.sql), each bound to params.sql as src_<field>. */
const NAMED = ['order_id', 'created_at', 'category', 'content', 'lon', 'lat'] as const;

/**
 * The file's own header(s) for each field a quarantine reason names, as params.sql binds them (src_order_id …):
 * null when the file calls the field by its canonical name (or has no column for it), otherwise every header the
 * field is read from, joined by '/' (content's joined columns, category's level columns, synonyms in priority order).
 */
export function sourceNames(r: ResolvedMapping): Record<`src_${(typeof NAMED)[number]}`, string | null> {
  const names = (c: (typeof NAMED)[number]): string | null => {
    const hs = [...(r.sources[c] ?? [])];
    if (c === 'category') hs.push(...r.categoryLevels, ...(r.levelsList ? [r.levelsList] : []));
    if (hs.length === 0 || (hs.length === 1 && hs[0].trim().toLowerCase() === c)) return null;
    return hs.join('/');
  };
  return Object.fromEntries(NAMED.map((c) => [`src_${c}`, names(c)])) as Record<
    `src_${(typeof NAMED)[number]}`,
    string | null
  >;
}

/**
 * A field as a warning names it: its label and key ('办结时间 closed_at'), after the file's own header(s) when the file
 * calls it something else ('结案时间（办结时间 closed_at）'; not the label itself, 办结时间), followed by `said` — as
 * params.sql and ingest_field_says (macros.sql) do for the quarantine reasons.
 */
export function fieldSays(r: ResolvedMapping, c: Canonical, label: string, said: string): string {
  const hs = r.sources[c] ?? [];
  const own = hs.length > 1 || (hs.length === 1 && hs[0].trim().toLowerCase() !== c && hs[0].trim() !== label);
  return own ? `${hs.join('/')}（${label} ${c}）${said}` : `${label} ${c} ${said}`;
}

/** Without --mapping: canonical headers as they are, otherwise the Chinese preset. */
export function autoMapping(headers: string[]): Mapping {
  const lower = new Set(headers.map((h) => h.trim().toLowerCase()));
  if (REQUIRED.every((c) => lower.has(c))) return canonicalMapping();
  return loadMapping(PRESET);
}
