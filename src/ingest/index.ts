import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import iconv from 'iconv-lite';
import type { Store } from '../store/db.js';
import type { Logger } from '../store/log.js';
import { UserError } from '../store/errors.js';
import { lit, sql } from '../store/sql.js';
import { readArrow } from './arrow.js';
import { headerFromText, readCsv } from './csv.js';
import { expandInputs, hashFile, textFacts, Utf8Sniffer, type Format, type TextFacts } from './files.js';
import { readJsonl } from './jsonl.js';
import { autoMapping, loadMapping, resolveMapping, type Mapping } from './mapping.js';
import { createMappedView, separatorParams } from './mapped.js';
import { readParquet } from './parquet.js';
import type { Source } from './staging.js';
import { readXlsx } from './xlsx.js';

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
];

/**
 * Load export files into `orders` (CONTRACT §1, §5). Each file is one transaction: a crash or kill leaves the
 * store as it was before that file. A file whose content was ingested before is skipped by its sha256.
 */
export async function ingestFiles(store: Store, files: string[], opts: IngestOptions): Promise<IngestSummary> {
  if (!files.length) throw new UserError('no input files given');
  const inputs = expandInputs(files);
  const mapping = opts.mapping ? loadMapping(opts.mapping) : undefined;
  await store.exec(sql('ingest/macros.sql'));
  await precheck(store, inputs, mapping);
  const summary: IngestSummary = { read: 0, loaded: 0, updated: 0, unchanged: 0, quarantined: 0, files: [] };
  for (let i = 0; i < inputs.length; i++) {
    const { path, format } = inputs[i];
    opts.progress?.(i, inputs.length, basename(path));
    const f = await ingestOne(store, path, format, mapping, opts);
    summary.files.push(f);
    for (const k of ['read', 'loaded', 'updated', 'unchanged', 'quarantined'] as const) summary[k] += f[k];
    if (!f.committed) summary.strict_failed = true;
    opts.log.info({ event: 'ingest_file', ...f }, `ingested ${basename(path)}`);
  }
  opts.progress?.(inputs.length, inputs.length, 'ingest');
  return summary;
}

type Counts = Record<string, number>;

async function ingestOne(
  store: Store,
  path: string,
  format: Format,
  forced: Mapping | undefined,
  opts: IngestOptions,
): Promise<FileSummary> {
  const started = new Date();
  const facts = await hashFile(path);
  const seen = await store.one<{ read: number; quarantined: number; mapping: string | null }>(
    'SELECT read, quarantined, mapping FROM ingested_files WHERE content_hash = $h ORDER BY batch_seq DESC LIMIT 1',
    { h: facts.sha256 },
  );
  if (seen && !opts.reload) {
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
  const encodingOverride = forced && forced.encoding !== 'auto' ? forced.encoding : undefined;
  let source: Source | undefined;
  let t = performance.now();
  let cpu = process.cpuUsage();
  const step = (name: string) => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    opts.log.debug(
      {
        event: 'ingest_step',
        step: name,
        ms: Math.round(now - t),
        cpu_ms: Math.round((used.user + used.system) / 1000),
      },
      name,
    );
    t = now;
    cpu = process.cpuUsage();
  };
  /**
   * Reading, validating and (for files that repeat order ids) staging the typed rows touch only session-local temp
   * objects, so they run before the file's transaction when there is none around it: DuckDB scans a table created
   * inside the open transaction on one thread only, after it is committed on all of them.
   */
  const stage = async () => {
    source = await openSource(
      store,
      path,
      format,
      forced,
      format === 'csv' ? await textFacts(path) : undefined,
      encodingOverride,
    );
    step('read');
    const mapping = forced ?? autoMapping(source.headers);
    const resolved = resolveMapping(path, source.headers, mapping);
    if (resolved.ignored.length)
      opts.log.debug({ event: 'ingest_ignored_columns', path, columns: resolved.ignored }, 'columns not mapped');
    await createMappedView(store, resolved, source.headers, source.numeric);
    if (mapping.coords === 'wgs84')
      await store.exec('CREATE OR REPLACE TEMP TABLE ingest_wgs (_rec BIGINT, lon DOUBLE, lat DOUBLE)');
    else await store.script(sql('ingest/to_wgs84.sql'), { coords: mapping.coords });
    // line numbers first: both the validation pass and the orders read _line from the source view
    if (!source.linesExact && source.exactLines) await source.exactLines();
    step('lines');
    const sep = separatorParams(mapping.category_separators);
    await store.script(
      'SET VARIABLE ingest_sep_dirty = $d; SET VARIABLE ingest_sep_run = $r; SET VARIABLE ingest_sep_gap = $g; SET VARIABLE ingest_salt = $salt;',
      {
        d: sep.sep_dirty,
        r: sep.sep_run,
        g: sep.sep_gap,
        salt: opts.salt,
      },
    );
    await store.exec(sql('ingest/categories.sql'));
    await store.exec(bindFormats(sql('ingest/typed_rows.sql'), mapping.timestamp_formats));
    const ids = (await store.one<Counts>(sql('ingest/ids.sql')))!;
    step('ids');
    // the direct way: no order_id repeats in the file or is stored already, so every valid row is a new order
    const direct = ids.repeated === 0 && ids.known === 0 && opts.direct !== false;
    let checked = false;
    if (!direct) {
      // row by row: the typed rows are staged once and compared with the store and earlier rows of their order_id
      await store.exec('CREATE OR REPLACE TEMP TABLE ingest_rows AS SELECT * FROM ingest_typed');
      await store.exec(
        'CREATE OR REPLACE TEMP VIEW ingest_check AS SELECT _rec, _line, order_id, field, reason, closed_unreadable FROM ingest_rows',
      );
      checked = true;
    } else if (opts.strict) {
      // --strict loads nothing from a file with a bad row: validate before writing anything
      await store.exec(sql('ingest/check.sql'));
      checked = true;
    }
    step('stage');
    return { source, mapping, ids, direct, checked, ignored: resolved.ignored };
  };
  /** Run one of the INSERT INTO orders scripts; returns the rows it wrote. */
  const insert = async (script: string, batch: number): Promise<number> => {
    // row order does not matter in orders: let DuckDB insert in parallel
    await store.exec('SET preserve_insertion_order = false');
    try {
      return (await store.script(sql(script), { batch, file: path }))[0];
    } finally {
      await store.exec('RESET preserve_insertion_order');
    }
  };
  try {
    const staged = store.inTransaction ? undefined : await stage();
    return await store.tx(async () => {
      const { source, mapping, ids, direct, checked, ignored } = staged ?? (await stage());
      const batch = (await store.value<number>("SELECT nextval('ingest_seq')"))!;
      const file = path;
      let c: Counts;
      let inserted: number | undefined;
      if (direct && !checked) {
        // one pass writes the valid rows; the rows it left out (if any) are then read again for the quarantine
        inserted = await insert('ingest/insert_new.sql', batch);
        step('merge');
        if (inserted < ids.rows) {
          await store.exec(sql('ingest/check.sql'));
          c = (await store.one<Counts>(sql('ingest/check_counts.sql')))!;
          if (c.rows - c.invalid !== inserted)
            throw new Error(`ingest: ${inserted} rows written but ${c.rows - c.invalid} valid`);
        } else c = { rows: ids.rows, invalid: 0, closed_unreadable: ids.closed_unreadable };
        c = { ...c, unreadable: ids.unreadable, loaded: inserted, updated: 0, unchanged: 0, replaced: 0 };
      } else if (direct) {
        c = (await store.one<Counts>(sql('ingest/check_counts.sql')))!;
        c = { ...c, unreadable: ids.unreadable, loaded: c.rows - c.invalid, updated: 0, unchanged: 0, replaced: 0 };
      } else {
        await store.exec(sql('ingest/classify.sql'));
        c = (await store.one<Counts>(sql('ingest/counts.sql')))!;
      }
      step('classify');
      const quarantined = c.invalid + c.unreadable;
      // a reload judges the file's rows afresh: what an earlier load of the same content rejected goes
      if (seen) await store.script(sql('ingest/forget_quarantine.sql'), { hash: facts.sha256 });
      if (c.invalid) await store.script(sql('ingest/quarantine_invalid.sql'), { batch, file });
      if (c.unreadable) await store.script(sql('ingest/quarantine_unreadable.sql'), { batch, file });
      const result: FileSummary = {
        path,
        format,
        encoding: source.encoding,
        mapping: mapping.label,
        read: c.rows + c.unreadable,
        loaded: c.loaded,
        updated: c.updated,
        unchanged: c.unchanged,
        quarantined,
        committed: !(opts.strict && quarantined > 0),
      };
      if (c.closed_unreadable)
        result.warnings = [`${c.closed_unreadable} rows with an unreadable closed_at (kept with closed_at empty)`];
      if (ids.category_gaps) {
        result.warnings = [
          ...(result.warnings ?? []),
          `${ids.category_gaps} rows with an empty level inside their category path (e.g. 'A//C'): read with the levels closed up ('A/C'), so a lower level counts as the one above it`,
        ];
      }
      if (!result.committed) return result;
      step('quarantine');
      if (inserted === undefined) {
        if (c.replaced) await store.exec(sql('ingest/delete_replaced.sql'));
        await insert(direct ? 'ingest/insert_new.sql' : 'ingest/insert_orders.sql', batch);
        step('merge');
      }
      // a column no mapping names is not read: say which, or an export's 坐标 and 地址 columns vanish unnoticed
      if (ignored.length) {
        const names = ignored.slice(0, 8).join(', ') + (ignored.length > 8 ? `, … (${ignored.length} in all)` : '');
        result.warnings = [
          ...(result.warnings ?? []),
          `columns not read (no mapping names them): ${names}; a mapping file (--mapping) can map them`,
        ];
      }
      const written = await store.one<{ closed_before_created: number }>(sql('ingest/batch_warnings.sql'), { batch });
      if (written && written.closed_before_created > 0) {
        result.warnings = [
          ...(result.warnings ?? []),
          `${written.closed_before_created} rows closed before they were created (kept as they are; check the export's clock)`,
        ];
      }
      await store.script(sql('ingest/record_file.sql'), {
        batch,
        path,
        hash: facts.sha256,
        format,
        encoding: source.encoding ?? null,
        bytes: facts.bytes,
        mapping: mapping.label,
        read: result.read,
        loaded: result.loaded,
        updated: result.updated,
        unchanged: result.unchanged,
        quarantined: result.quarantined,
        started_at: started.toISOString().replace('T', ' ').replace('Z', ''),
      });
      return result;
    });
  } finally {
    source?.cleanup();
    await store
      .exec(
        'RESET VARIABLE ingest_salt; RESET VARIABLE ingest_sep_dirty; RESET VARIABLE ingest_sep_run; RESET VARIABLE ingest_sep_gap;',
      )
      .catch(() => {});
    for (const o of TEMP_OBJECTS) {
      const [kind, name] = o.split(' ');
      await store.exec(`DROP ${kind} IF EXISTS temp.${name}`).catch(() => {});
    }
  }
}

async function openSource(
  store: Store,
  path: string,
  format: Format,
  mapping: Mapping | undefined,
  text: TextFacts | undefined,
  encoding: 'utf-8' | 'gb18030' | undefined,
): Promise<Source> {
  switch (format) {
    case 'csv':
      return readCsv(store, path, {
        encoding: encoding ?? text!.encoding,
        delimiter: mapping?.delimiter,
        lines: text!.lines,
      });
    case 'parquet':
      return readParquet(store, path);
    case 'jsonl':
      return readJsonl(store, path);
    case 'xlsx':
      return readXlsx(store, path, mapping?.sheet);
    case 'arrow':
      return readArrow(store, path);
  }
}

/**
 * Header problems (a mapping naming absent columns, no column for a required field) are found before anything is
 * loaded, so a command over several files fails as a whole with the store unchanged. CSV headers are read from
 * the first bytes, Parquet's from its footer; GBK headers are decoded from the first 64 KB. XLSX, JSON Lines and
 * Arrow are checked when loaded (their headers cost a full read).
 */
async function precheck(
  store: Store,
  inputs: Array<{ path: string; format: Format }>,
  forced: Mapping | undefined,
): Promise<void> {
  for (const { path, format } of inputs) {
    let headers: string[] | undefined;
    if (format === 'csv') {
      const fd = openSync(path, 'r');
      const buf = Buffer.alloc(1 << 16);
      const n = readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      const sniff = new Utf8Sniffer();
      sniff.feed(buf.subarray(0, n), true);
      const enc = forced && forced.encoding !== 'auto' ? forced.encoding : sniff.verdict();
      const text =
        enc === 'gb18030' ? iconv.decode(buf.subarray(0, n), 'gb18030') : buf.subarray(0, n).toString('utf8');
      headers = headerFromText(path, text, forced?.delimiter).headers;
    } else if (format === 'parquet') {
      const d = await store.all<{ column_name: string }>(
        `DESCRIBE SELECT * FROM read_parquet(${lit(path)}, hive_partitioning = false)`,
      );
      headers = d.map((r) => r.column_name);
    }
    if (headers) resolveMapping(path, headers, forced ?? autoMapping(headers));
  }
}

/** strptime needs its format list as a constant: the mapping's formats are written into the SQL as literals. */
function bindFormats(text: string, formats: string[]): string {
  const list = [...formats, '%Y-%m-%d %H:%M:%S'].map(lit).join(', ');
  return text.replace(/\$formats\b/g, `[${list}]::VARCHAR[]`);
}
