import type { Store } from '../store/db.js';
import { DEFAULT_TIMEZONE } from '../store/dates.js';
import type { Logger } from '../store/log.js';
import { lit, sql } from '../store/sql.js';
import { dateOrderWarning, dateOutliers, resolveWindow } from './dates.js';
import { hashFile, textFacts, type Format } from './files.js';
import type { FileSummary, IngestOptions } from './index.js';
import { autoMapping, fieldSays, resolveMapping, sourceNames, type Mapping, type ResolvedMapping } from './mapping.js';
import { createMappedView, dropBlankRows, pairColumnsWarning, placePlaceholders, separatorParams } from './mapped.js';
import { jsonFormat } from './jsonl.js';
import { openSource } from './open.js';
import { titleWarning } from './title-rows.js';
import { placeholderLevels, placeholderPlaces } from './placeholders.js';
import type { Source } from './staging.js';

type Counts = Record<string, number>;

/** What one file's load knows before its transaction: where it comes from and what its rows look like. */
interface FileJob {
  store: Store;
  path: string;
  format: Format;
  forced: Mapping | undefined;
  opts: IngestOptions;
  hash: string;
  bytes: number;
  /** An earlier load of the same content (only with --reload, else the file is skipped). */
  reloaded: boolean;
  step: (name: string) => void;
}

interface Staged {
  source: Source;
  mapping: Mapping;
  ids: Counts;
  /** No order_id repeats in the file or is stored already: every valid row is a new order. */
  direct: boolean;
  /** The validation pass ran (ingest_check holds every row's failure). */
  checked: boolean;
  /** Empty records dropped (every field empty: not orders). */
  blank: number;
  ignored: string[];
  /** The mapping as matched to the file's headers (warnings name a field by the file's own header). */
  resolved: ResolvedMapping;
  dateOrder?: string;
  /** The warning about category levels that were placeholders (N/A, 无), when there were any. */
  placeholders?: string;
  /** The warning about place values that name no place (市辖区 …), when there were any. */
  places?: string;
  /** The warning about unread columns holding both coordinates (坐标 '116.39,39.90'), when there were any. */
  pairs?: string;
}

const TEMP_OBJECTS = [
  'VIEW ingest_typed',
  'VIEW ingest_mapped',
  'VIEW ingest_src',
  'TABLE ingest_rows',
  'TABLE ingest_check',
  'VIEW ingest_check',
  'TABLE ingest_outcomes',
  'TABLE ingest_wgs',
  'TABLE ingest_cats',
  'TABLE ingest_src_t',
  'TABLE ingest_unreadable',
  'TABLE ingest_linemap',
  'TABLE ingest_jsonl',
  'TABLE ingest_jsonl_ok',
  'TABLE ingest_xlsx',
  'TABLE ingest_arrow',
  'TABLE ingest_rej_err',
  'TABLE ingest_rej_scan',
  'TABLE ingest_line_fix',
  // holds the salt: dropped with the rest when the file is done
  'TABLE ingest_params',
];

/**
 * Load one file: skip it when its content was loaded before, else read and validate it (outside the transaction
 * when there is none around it), then write orders, quarantine and the file record in one transaction.
 */
export async function ingestOne(
  store: Store,
  path: string,
  format: Format,
  forced: Mapping | undefined,
  opts: IngestOptions,
): Promise<FileSummary> {
  const started = new Date();
  const facts = await hashFile(path);
  const seen = await loadedBefore(store, facts.sha256);
  if (seen && !opts.reload) return skipped(path, await reportedFormat(path, format), seen, forced);
  const job: FileJob = {
    store,
    path,
    format,
    forced,
    opts,
    hash: facts.sha256,
    bytes: facts.bytes,
    reloaded: !!seen,
    step: stepTimer(opts.log),
  };
  let source: Source | undefined;
  try {
    // DuckDB scans a table created inside an open transaction on one thread only: stage before it when we can
    const early = store.inTransaction ? undefined : await stageFile(job);
    source = early?.source;
    return await store.tx(async () => {
      const staged = early ?? (await stageFile(job));
      source = staged.source;
      return await writeFile(job, staged, started);
    });
  } finally {
    source?.cleanup();
    await dropTemps(store);
  }
}

interface Seen {
  read: number;
  quarantined: number;
  mapping: string | null;
}

/** The format a file is reported as when it is not read: a JSON reader's file says whether it is one document. */
export async function reportedFormat(path: string, format: Format): Promise<Format> {
  return format === 'jsonl' ? jsonFormat(path) : format;
}

/** The last load of the same bytes (a file set aside counts: it is not tried again until it changes). */
export async function loadedBefore(store: Store, hash: string): Promise<Seen | undefined> {
  return store.one<Seen>(sql('ingest/loaded_before.sql'), { h: hash });
}

/** The summary of a file whose content was loaded before: nothing read, its rows count as unchanged. */
export function skipped(path: string, format: Format, seen: Seen, forced: Mapping | undefined): FileSummary {
  return {
    path,
    format,
    read: seen.read,
    loaded: 0,
    updated: 0,
    unchanged: seen.read - seen.quarantined,
    quarantined: seen.quarantined,
    skipped: true,
    committed: true,
    // the same content under another mapping is still skipped; say how to read it again
    ...(forced && seen.mapping && seen.mapping !== forced.label
      ? {
          warnings: [
            `already loaded with mapping ${seen.mapping}: skipped; --reload reads it again with ${forced.label}`,
          ],
        }
      : {}),
  };
}

/** A debug event per step with its wall and CPU milliseconds. */
function stepTimer(log: Logger): (name: string) => void {
  let t = performance.now();
  let cpu = process.cpuUsage();
  return (name) => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const cpuMs = Math.round((used.user + used.system) / 1000);
    log.debug({ event: 'ingest_step', step: name, ms: Math.round(now - t), cpu_ms: cpuMs }, name);
    t = now;
    cpu = process.cpuUsage();
  };
}

/**
 * Read the file into the temp views (source, mapped, typed) and count its ids; for a file that repeats or updates
 * order ids, stage the typed rows once. Touches only session-local temp objects.
 */
async function stageFile(job: FileJob): Promise<Staged> {
  const { store, path, format, forced } = job;
  const encoding = forced && forced.encoding !== 'auto' ? forced.encoding : undefined;
  const text = format === 'csv' ? await textFacts(path) : undefined;
  const source = await openSource(store, path, { format, mapping: forced, text, encoding, limits: job.opts.limits });
  job.step('read');
  try {
    const mapping = forced ?? autoMapping(source.headers);
    const resolved = resolveMapping(path, source.headers, mapping);
    if (resolved.ignored.length)
      job.opts.log.debug({ event: 'ingest_ignored_columns', path, columns: resolved.ignored }, 'columns not mapped');
    await writeParams(job, resolved);
    const nil = await placePlaceholders(store, resolved);
    await createMappedView(store, resolved, source.headers, source.numeric, nil.values);
    const pairs = await pairColumnsWarning(store, resolved.ignored);
    if (mapping.coords === 'wgs84')
      await store.exec('CREATE OR REPLACE TEMP TABLE ingest_wgs (_rec BIGINT, lon DOUBLE, lat DOUBLE)');
    else await store.script(sql('ingest/to_wgs84.sql'), { coords: mapping.coords });
    // line numbers first: both the validation pass and the orders read _line from the source view
    if (!source.linesExact && source.exactLines) await source.exactLines();
    job.step('lines');
    const placeholders = await typedRows(job, mapping);
    const places = nil.warning;
    const ids = (await store.one<Counts>(sql('ingest/ids.sql')))!;
    job.step('ids');
    const direct = ids.repeated === 0 && ids.known === 0 && job.opts.direct !== false;
    const checked = await stageRows(store, direct, !!job.opts.strict);
    // empty records fail as 'missing order_id': where some row has none, the empty ones are dropped, not judged
    const blank =
      checked && ids.no_id ? await dropBlankRows(store, direct ? 'ingest_check' : 'ingest_rows', source.headers) : 0;
    job.step('stage');
    const dateOrder = await dateOrderWarning(store, path, mapping.timestamp_formats);
    job.step('date_order');
    const ignored = resolved.ignored;
    return { source, mapping, ids, direct, checked, blank, ignored, resolved, dateOrder, placeholders, places, pairs };
  } catch (err) {
    source.cleanup();
    throw err;
  }
}

/** The one-row parameter table the views read (params.sql). */
async function writeParams(job: FileJob, resolved: ResolvedMapping): Promise<void> {
  const { mapping } = resolved;
  const window = resolveWindow(job.opts.dateWindow);
  await job.store.script(sql('ingest/params.sql'), {
    ...separatorParams(mapping.category_separators),
    placeholders: placeholderLevels(mapping),
    place_placeholders: placeholderPlaces(mapping),
    salt: job.opts.salt,
    date_from: window.from,
    date_to: window.to,
    timezone: job.opts.timezone ?? DEFAULT_TIMEZONE,
    own_offset: job.opts.timezone === undefined,
    ...sourceNames(resolved),
  });
}

/** The category paths and the typed view, with the mapping's formats written in. */
async function typedRows(job: FileJob, mapping: Mapping): Promise<string | undefined> {
  await job.store.exec(sql('ingest/categories.sql'));
  await job.store.exec(bindFormats(sql('ingest/typed_rows.sql'), mapping.timestamp_formats));
  return placeholderWarning(job.store);
}

/** Names and counts the rows whose category ended at a placeholder level; nothing (and no pass) when none did. */
async function placeholderWarning(store: Store): Promise<string | undefined> {
  const any = await store.value<number>('SELECT count(*) FROM ingest_cats WHERE placeholder IS NOT NULL');
  if (!any) return undefined;
  const rows = await store.all<{ placeholder: string; rows: number }>(sql('ingest/placeholder_counts.sql'));
  const total = rows.reduce((n, r) => n + Number(r.rows), 0);
  const names = rows.map((r) => `'${r.placeholder}' ${r.rows}`).join(', ');
  return `${total} 行的分类层级不指具体分类（${names}）：分类在此层之前截止，工单保留上级分类`;
}

/**
 * The row-by-row way stages the typed rows once, to compare them with the store and with earlier rows of their
 * order_id; --strict on the direct way validates before writing anything. True when ingest_check now exists.
 */
async function stageRows(store: Store, direct: boolean, strict: boolean): Promise<boolean> {
  if (!direct) {
    await store.exec('CREATE OR REPLACE TEMP TABLE ingest_rows AS SELECT * FROM ingest_typed');
    await store.exec(sql('ingest/check_staged.sql'));
    return true;
  }
  if (strict) {
    await store.exec(sql('ingest/check.sql'));
    return true;
  }
  return false;
}

/** Run one of the INSERT INTO orders scripts; returns the rows it wrote. */
async function insert(job: FileJob, script: string, batch: number): Promise<number> {
  // row order does not matter in orders: let DuckDB insert in parallel
  await job.store.exec('SET preserve_insertion_order = false');
  try {
    return (await job.store.script(sql(script), { batch, file: job.path }))[0];
  } finally {
    await job.store.exec('RESET preserve_insertion_order');
  }
}

/**
 * What each row does: the direct way without a validation pass writes the valid rows at once (`inserted`) and
 * reads the left-out ones again only if there are some; otherwise the counts come from the check or the classify.
 */
async function classifyRows(job: FileJob, s: Staged, batch: number): Promise<{ c: Counts; inserted?: number }> {
  const { store } = job;
  const { ids } = s;
  if (s.direct && !s.checked) {
    const inserted = await insert(job, 'ingest/insert_new.sql', batch);
    job.step('merge');
    let c: Counts;
    if (inserted < ids.rows) {
      await store.exec(sql('ingest/check.sql'));
      s.blank = ids.no_id ? await dropBlankRows(store, 'ingest_check', s.source.headers) : 0;
      c = (await store.one<Counts>(sql('ingest/check_counts.sql')))!;
      if (c.rows - c.invalid !== inserted)
        throw new Error(`ingest: ${inserted} rows written but ${c.rows - c.invalid} valid`);
    } else c = { rows: ids.rows, invalid: 0, ...(await droppedClosed(store, ids, batch)) };
    return {
      c: { ...c, unreadable: ids.unreadable, loaded: inserted, updated: 0, unchanged: 0, replaced: 0 },
      inserted,
    };
  }
  if (s.direct) {
    const c = (await store.one<Counts>(sql('ingest/check_counts.sql')))!;
    return {
      c: { ...c, unreadable: ids.unreadable, loaded: c.rows - c.invalid, updated: 0, unchanged: 0, replaced: 0 },
    };
  }
  await store.exec(sql('ingest/classify.sql'));
  return { c: (await store.one<Counts>(sql('ingest/counts.sql')))! };
}

/**
 * The closed_at values a direct load that wrote every row dropped (unreadable, outside the window). A written value
 * is stored or dropped, so when the batch stored as many as the file writes (closed_given, which may also count
 * values of blanks) none was dropped, and the values are not parsed a second time.
 */
async function droppedClosed(store: Store, ids: Counts, batch: number): Promise<Counts> {
  if (!ids.closed_given) return { closed_unreadable: 0, closed_outside: 0 };
  const stored = (await store.value<number>(sql('ingest/closed_stored.sql'), { batch })) ?? 0;
  if (stored === ids.closed_given) return { closed_unreadable: 0, closed_outside: 0 };
  return (await store.one<Counts>(sql('ingest/closed_counts.sql')))!;
}

/** Inside the file's transaction: classify, quarantine, write the orders, warn, record the file. */
async function writeFile(job: FileJob, s: Staged, started: Date): Promise<FileSummary> {
  const { store, path, opts } = job;
  const batch = (await store.value<number>("SELECT nextval('ingest_seq')"))!;
  const { c, inserted } = await classifyRows(job, s, batch);
  job.step('classify');
  const quarantined = c.invalid + c.unreadable;
  // a reload judges the file's rows afresh: what an earlier load of the same content rejected goes
  if (job.reloaded) await store.script(sql('ingest/forget_quarantine.sql'), { hash: job.hash });
  if (c.invalid) await store.script(sql('ingest/quarantine_invalid.sql'), { batch, file: path });
  if (c.unreadable) await store.script(sql('ingest/quarantine_unreadable.sql'), { batch, file: path });
  const result: FileSummary = {
    path,
    format: s.source.format ?? job.format,
    encoding: s.source.encoding,
    mapping: s.mapping.label,
    read: c.rows + c.unreadable,
    loaded: c.loaded,
    updated: c.updated,
    unchanged: c.unchanged,
    quarantined,
    committed: !(opts.strict && quarantined > 0),
  };
  const warnings = rowWarnings(c, s);
  if (!result.committed) return withWarnings(result, warnings);
  job.step('quarantine');
  if (inserted === undefined) {
    if (c.replaced) await store.exec(sql('ingest/delete_replaced.sql'));
    await insert(job, s.direct ? 'ingest/insert_new.sql' : 'ingest/insert_orders.sql', batch);
    job.step('merge');
  }
  warnings.push(...(await batchWarnings(store, s, batch)));
  const outliers = await dateOutliers(store, batch);
  if (outliers) result.date_outliers = outliers;
  job.step('warnings');
  await store.script(sql('ingest/record_file.sql'), {
    batch,
    path,
    hash: job.hash,
    format: result.format,
    encoding: s.source.encoding ?? null,
    bytes: job.bytes,
    mapping: s.mapping.label,
    read: result.read,
    loaded: result.loaded,
    updated: result.updated,
    unchanged: result.unchanged,
    quarantined: result.quarantined,
    // an instant (UTC, ISO); the SQL turns it into the store's local time, as finished_at and every `runs` time
    started_at: started.toISOString(),
  });
  return withWarnings(result, warnings);
}

function withWarnings(result: FileSummary, warnings: string[]): FileSummary {
  return warnings.length ? { ...result, warnings } : result;
}

/** Rows kept with a field emptied or read differently, known before anything is written. */
function rowWarnings(c: Counts, s: Staged): string[] {
  const out: string[] = [];
  if (c.closed_unreadable)
    out.push(
      `${c.closed_unreadable} 行的${fieldSays(s.resolved, 'closed_at', '办结时间', '无法识别')}（工单已读入，办结时间留空）`,
    );
  if (c.closed_outside)
    out.push(
      `${c.closed_outside} 行的${fieldSays(s.resolved, 'closed_at', '办结时间', '不在合理日期范围内')}（工单已读入，办结时间留空）`,
    );
  if (s.ids.category_gaps)
    out.push(
      `${s.ids.category_gaps} 行的分类路径中间有空层级（如 'A//C'）：已去掉空层级读作 'A/C'，下级分类因此计入上一级`,
    );
  if (s.blank) out.push(`${s.blank} 行所有字段均为空，已跳过（不是工单，如表格末尾的空行）`);
  if (s.dateOrder) out.push(s.dateOrder);
  if (s.placeholders) out.push(s.placeholders);
  if (s.places) out.push(s.places);
  if (s.pairs) out.push(s.pairs);
  const title = s.source.title;
  if (title?.length) out.push(titleWarning(title, s.source.headerLine ?? title[title.length - 1].line + 1));
  return out;
}

/** Warnings about what the file wrote: columns no mapping reads, orders closed before they were created. */
async function batchWarnings(store: Store, s: Staged, batch: number): Promise<string[]> {
  const out: string[] = [];
  // a column no mapping names is not read: say which, or an export's 坐标 and 地址 columns vanish unnoticed
  if (s.ignored.length) {
    const names = s.ignored.slice(0, 8).join(', ') + (s.ignored.length > 8 ? `, …（共 ${s.ignored.length} 列）` : '');
    out.push(`以下列未读入（字段映射未列出）：${names}；可在字段映射文件（--mapping）中映射`);
  }
  const written = await store.one<{ closed_before_created: number }>(sql('ingest/batch_warnings.sql'), { batch });
  if (written && written.closed_before_created > 0)
    out.push(`${written.closed_before_created} 行的办结时间早于受理时间（按原样保留；请核对导出系统的时钟）`);
  return out;
}

async function dropTemps(store: Store): Promise<void> {
  for (const o of TEMP_OBJECTS) {
    const [kind, name] = o.split(' ');
    await store.exec(`DROP ${kind} IF EXISTS temp.${name}`).catch(() => {});
  }
}

/**
 * strptime needs its format list as a constant: the mapping's formats are written into the SQL as literals. With
 * formats, the timestamps are read by ingest_ts_user, which tries them before any built-in form.
 */
function bindFormats(text: string, formats: string[]): string {
  const list = [...formats, '%Y-%m-%d %H:%M:%S'].map(lit).join(', ');
  return text
    .replace(/\$formats\b/g, `[${list}]::VARCHAR[]`)
    .replace(/\$ts_read\b/g, formats.length ? 'ingest_ts_user' : 'ingest_ts_read');
}
