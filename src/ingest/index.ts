import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import iconv from 'iconv-lite';
import type { Store } from '../store/db.js';
import type { Logger } from '../store/log.js';
import { UserError } from '../store/errors.js';
import { lit, sql } from '../store/sql.js';
import { checkSaltFingerprint } from '../store/salt.js';
import { headerFromText } from './csv.js';
import { headerTest } from './title-rows.js';
import { resolveWindow, type DateOutliers, type DateWindow } from './dates.js';
import { expandInputs, hashFile, Utf8Sniffer, type Format } from './files.js';
import { autoMapping, loadMapping, resolveMapping, type Mapping } from './mapping.js';
import { ingestOne, loadedBefore, reportedFormat, skipped } from './one-file.js';
import { NoRecords } from './json-doc.js';
import { checkParquet } from './open.js';
import type { XlsxLimits } from './xlsx.js';

export interface IngestOptions {
  /** A mapping file or preset name; default: canonical headers as they are, else the 12345-zh preset. */
  mapping?: string;
  /** Load nothing from a file that has any quarantined row (its quarantine rows are still recorded). */
  strict?: boolean;
  /**
   * Read a file again even though its content was loaded before (after fixing its mapping: a wrong separator or
   * column). Its rows merge as usual (changed orders count as updated) and its earlier quarantine rows are replaced.
   */
  reload?: boolean;
  /** Secret for caller_hash (see store/salt.ts). */
  salt: string;
  log: Logger;
  /**
   * False forces the row-by-row way (stage, classify, join) even for a file of only new orders. The direct way gives
   * the same store; tests compare the two.
   */
  direct?: boolean;
  progress?: (done: number, total: number, label?: string) => void;
  /** Plausible dates (config `ingest.date_window`); default 2000-01-01 … the day after the run. */
  dateWindow?: Partial<DateWindow>;
  /** The run's as-of (YYYY-MM-DD), when a pipeline runs ingest: a later as-of moves the window's default end. */
  asOf?: string;
  /** Bounds on a workbook's bytes, rows and columns (config `ingest.xlsx`). */
  limits?: Partial<XlsxLimits>;
  /** Accept a salt other than the one the store was built with (its callers then stop matching older ones). */
  newSalt?: boolean;
  /**
   * A file whose headers do not fit the mapping is set aside (recorded, not loaded) instead of failing the command
   * before anything loads: the drop folder's way, where one bad file must not hold back the others every night.
   */
  setAsideBadHeaders?: boolean;
  /** Leave files modified within this many ms for the next run (the drop folder's `ingest.settle_minutes`). */
  settleMs?: number;
  /** The clock settleMs is measured on (tests). */
  now?: () => number;
  /**
   * The city's time zone (config `city.timezone`) a time with a UTC offset is converted to. Unset: a written offset
   * keeps its own wall-clock time, and 'Z' or a Unix epoch is read in Asia/Shanghai.
   */
  timezone?: string;
}

export interface FileSummary {
  path: string;
  format: Format;
  encoding?: string;
  mapping?: string;
  read: number;
  loaded: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  /** Already ingested (same content hash): not read again; its rows count as unchanged. */
  skipped?: boolean;
  /** False when --strict held the file back because rows were quarantined (counts are what it would have done). */
  committed: boolean;
  /** Rows kept with a field set to NULL because it could not be read (e.g. closed_at). */
  warnings?: string[];
  /** Orders in sparse months at the edges of the file's dates (kept; see sql/ingest/date_outliers.sql). */
  date_outliers?: DateOutliers;
  /** The file could not be read at all (not a real workbook, over a limit, bad headers): nothing loaded from it. */
  set_aside?: string;
}

export interface IngestSummary {
  read: number;
  loaded: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  files: FileSummary[];
  /** --strict and some file had quarantined rows. */
  strict_failed?: boolean;
  /** Stray dates per file (CONTRACT extension): the data team's list of orders to look at. */
  date_outliers: Array<DateOutliers & { path: string }>;
  /** Files set aside whole, with the one-line reason (also in quarantine, line empty). */
  set_aside: Array<{ path: string; reason: string }>;
  /** Files modified within `settleMs`, left for the next run (they may still be being written). */
  waiting?: string[];
}

/**
 * With `settleMs` (the drop folder), a file modified that recently is left for the next run: an export still being
 * copied in would otherwise load cut (its last row quarantined, the file recorded as read). Each one left is named in
 * an info event.
 */
function settled(
  inputs: Array<{ path: string; format: Format }>,
  opts: IngestOptions,
): { ready: Array<{ path: string; format: Format }>; waiting: string[] } {
  if (!opts.settleMs) return { ready: inputs, waiting: [] };
  const since = (opts.now ?? Date.now)() - opts.settleMs;
  const ready = inputs.filter((i) => statSync(i.path).mtimeMs <= since);
  const waiting = inputs.filter((i) => !ready.includes(i)).map((i) => i.path);
  const minutes = Math.round(opts.settleMs / 60_000);
  for (const path of waiting) {
    const modified = new Date(statSync(path).mtimeMs).toISOString();
    opts.log.info(
      { event: 'ingest_file_waiting', path, modified },
      `${basename(path)}：${minutes} 分钟内还在改动，可能仍在写入，留到下次读入`,
    );
  }
  return { ready, waiting };
}

/**
 * Load export files into `orders` (CONTRACT §1, §5). Each file is one transaction: a crash or kill leaves the
 * store as it was before that file. A file whose content was ingested before is skipped by its sha256. A file that
 * cannot be read at all is set aside (recorded in quarantine and ingested_files) and the others still load.
 */
export async function ingestFiles(store: Store, files: string[], opts: IngestOptions): Promise<IngestSummary> {
  if (!files.length) throw new UserError('没有给出要读入的文件');
  const { ready: inputs, waiting } = settled(expandInputs(files), opts);
  const mapping = opts.mapping ? loadMapping(opts.mapping) : undefined;
  await checkSaltFingerprint(store, opts.salt, !!opts.newSalt);
  await store.exec(sql('ingest/macros.sql'));
  // one window for the whole command (a run across midnight does not move it between files)
  opts = { ...opts, dateWindow: resolveWindow(opts.dateWindow, new Date(), opts.asOf) };
  const refused = await precheck(store, inputs, mapping, !!opts.setAsideBadHeaders);
  const summary: IngestSummary = {
    read: 0,
    loaded: 0,
    updated: 0,
    unchanged: 0,
    quarantined: 0,
    files: [],
    date_outliers: [],
    set_aside: [],
    waiting,
  };
  for (let i = 0; i < inputs.length; i++) {
    const { path, format } = inputs[i];
    opts.progress?.(i, inputs.length, basename(path));
    const f = await ingestOrSetAside(store, path, format, mapping, opts, refused.get(path));
    summary.files.push(f);
    for (const k of ['read', 'loaded', 'updated', 'unchanged', 'quarantined'] as const) summary[k] += f[k];
    if (!f.committed && !f.set_aside) summary.strict_failed = true;
    if (f.date_outliers) summary.date_outliers.push({ path, ...f.date_outliers });
    if (f.set_aside) summary.set_aside.push({ path, reason: f.set_aside });
    const event = f.set_aside ? 'ingest_file_set_aside' : 'ingest_file';
    opts.log[f.set_aside ? 'warn' : 'info']({ event, ...f }, `ingested ${basename(path)}`);
  }
  opts.progress?.(inputs.length, inputs.length, 'ingest');
  return summary;
}

/**
 * One file, or its refusal: an input problem (UserError) met while reading it, before anything is written, sets
 * the file aside. Errors of the store itself still stop the command.
 */
async function ingestOrSetAside(
  store: Store,
  path: string,
  format: Format,
  mapping: Mapping | undefined,
  opts: IngestOptions,
  refusedFor: string | undefined,
): Promise<FileSummary> {
  let reason = refusedFor;
  if (!reason) {
    try {
      if (statSync(path).size === 0)
        return await withoutRecords(store, path, format, { sha256: EMPTY_SHA256, bytes: 0 }, '空文件（0 字节）');
      const f = await ingestOne(store, path, format, mapping, opts);
      return f.read === 0 && !f.skipped ? noRows(path, format, '表头之后没有数据行', f) : f;
    } catch (err) {
      // (only a JSON document can hold no records where it has a header)
      if (err instanceof NoRecords)
        return await withoutRecords(store, path, 'json', await hashFile(path), 'JSON 文档中没有记录');
      if (!(err instanceof UserError)) throw err;
      reason = err.message;
    }
  }
  const facts = await hashFile(path);
  format = await reportedFormat(path, format);
  const seen = await loadedBefore(store, facts.sha256);
  if (seen && !opts.reload) return skipped(path, format, seen, mapping);
  await store.tx(async () => {
    const batch = (await store.value<number>("SELECT nextval('ingest_seq')"))!;
    const params = { batch, file: path, reason: reason!, hash: facts.sha256, format, bytes: facts.bytes };
    await store.script(sql('ingest/set_aside.sql'), params);
  });
  const zero = { read: 0, loaded: 0, updated: 0, unchanged: 0, quarantined: 0 };
  return { path, format, ...zero, committed: false, set_aside: reason };
}

/** sha256 of no bytes: the content hash of every empty file. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * A file without records — 0 bytes, or a JSON document holding none (a quiet day's API answer) — is warned once:
 * recorded by its path and content the first time, then skipped without a warning while it stays the same, so a
 * cron mail does not repeat it every night. Such a file at a new path is warned (its own first time).
 */
async function withoutRecords(
  store: Store,
  path: string,
  format: Format,
  facts: { sha256: string; bytes: number },
  what: string,
): Promise<FileSummary> {
  const seen = await store.one<{ n: number }>(sql('ingest/empty_before.sql'), { path, hash: facts.sha256 });
  if (seen && seen.n > 0) {
    return {
      path,
      format,
      read: 0,
      loaded: 0,
      updated: 0,
      unchanged: 0,
      quarantined: 0,
      skipped: true,
      committed: true,
    };
  }
  await store.tx(async () => {
    const batch = (await store.value<number>("SELECT nextval('ingest_seq')"))!;
    const params = { batch, path, hash: facts.sha256, format, bytes: facts.bytes };
    await store.exec(sql('ingest/record_empty.sql'), params);
  });
  return noRows(path, format, what);
}

/**
 * A file without rows (0 bytes, or a header alone) is not an error: a nightly export of a quiet day, or one that
 * failed upstream, must not stop the files beside it. It loads nothing and says so in a warning naming the file; a
 * file without records is recorded by its path (withoutRecords), not its hash alone (every empty file has the same
 * hash).
 */
function noRows(path: string, format: Format, what: string, f?: FileSummary): FileSummary {
  const zero = { read: 0, loaded: 0, updated: 0, unchanged: 0, quarantined: 0 };
  const warning = `${basename(path)}：${what}，未读入任何工单`;
  return { path, format, ...zero, committed: true, ...f, warnings: [warning, ...(f?.warnings ?? [])] };
}

/**
 * Header problems (a mapping naming absent columns, no column for a required field) are found before anything is
 * loaded, so a command over several files fails as a whole with the store unchanged. CSV headers are read from
 * the first bytes, Parquet's from its footer; GBK headers are decoded from the first 64 KB. XLSX, JSON Lines and
 * Arrow are checked when loaded (their headers cost a full read). With `setAside` (the drop folder) a file with bad
 * headers is returned for setting aside instead.
 */
async function precheck(
  store: Store,
  inputs: Array<{ path: string; format: Format }>,
  forced: Mapping | undefined,
  setAside: boolean,
): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  for (const { path, format } of inputs) {
    if (statSync(path).size === 0) continue; // no header to check: loaded as a file without rows (noRows)
    try {
      const headers = await peekHeaders(store, path, format, forced);
      if (headers) resolveMapping(path, headers, forced ?? autoMapping(headers));
    } catch (err) {
      if (!setAside || !(err instanceof UserError)) throw err;
      refused.set(path, err.message);
    }
  }
  return refused;
}

/** A CSV's or Parquet's headers, read cheaply; undefined for the formats whose headers cost a full read. */
async function peekHeaders(
  store: Store,
  path: string,
  format: Format,
  forced: Mapping | undefined,
): Promise<string[] | undefined> {
  if (format === 'csv') {
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(1 << 16);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    const sniff = new Utf8Sniffer();
    sniff.feed(buf.subarray(0, n), true);
    const enc = forced && forced.encoding !== 'auto' ? forced.encoding : sniff.verdict();
    const text = enc === 'gb18030' ? iconv.decode(buf.subarray(0, n), 'gb18030') : buf.subarray(0, n).toString('utf8');
    return headerFromText(path, text, forced?.delimiter, headerTest(forced)).headers;
  }
  if (format === 'parquet') {
    checkParquet(path);
    const d = await store.all<{ column_name: string }>(
      `DESCRIBE SELECT * FROM read_parquet(${lit(path)}, hive_partitioning = false)`,
    );
    return d.map((r) => r.column_name);
  }
  return undefined;
}
