/**
 * Real public 311 exports, loaded as their platforms publish them: `npm run bench:ingest-real`.
 * Reads the files from WEISU_REALDATA (default /work/realdata; see its README for sources and licences — nothing of
 * them is committed) with the mappings in bench/real-mappings/, and checks each against the raw file read on its
 * own by DuckDB: loaded = the distinct order ids of the valid rows exactly, no stored date outside the plausible
 * window, every category level name stored whole (the set of stored level-1 names equals the raw column's). Prints
 * CPU-seconds of the ingest against DuckDB's bare read of the same file. Skips, saying so, when the data is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../src/ingest/index.js';
import { loadMapping } from '../src/ingest/mapping.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { packageRoot } from '../src/store/paths.js';
import { ident, lit } from '../src/store/sql.js';

interface Source {
  file: string;
  mapping: string;
  /** Raw columns: id, created, category level 1, content (the required fields; several are joined), closed. */
  id: string;
  created: string;
  level1: string;
  content: string | string[];
  closed?: string;
  format?: string;
  /** The same rows as CSV, read by DuckDB for the raw facts (DuckDB reads no XLSX of its own). */
  rawFile?: string;
}

const TIPDM = {
  mapping: 'tipdm2020.json',
  id: '留言编号',
  created: '留言时间',
  level1: '一级分类',
  content: ['留言主题', '留言详情'],
  format: '%Y/%m/%d %H:%M:%S',
};

const SOURCES: Source[] = [
  {
    file: 'nyc311-tuplex/311-service-requests.sample.csv',
    mapping: 'nyc311.json',
    id: 'Unique Key',
    created: 'Created Date',
    level1: 'Complaint Type',
    content: 'Descriptor',
    closed: 'Closed Date',
    format: '%m/%d/%Y %I:%M:%S %p',
  },
  {
    file: 'nyc311-tuplex/311_nyc_sample.csv',
    mapping: 'nyc311.json',
    id: 'Unique Key',
    created: 'Created Date',
    level1: 'Complaint Type',
    content: 'Descriptor',
    closed: 'Closed Date',
    format: '%m/%d/%Y %I:%M:%S %p',
  },
  {
    file: 'la311-hackforla/MyLA311_Service_Request_Data_2017_Subset.csv',
    mapping: 'la311.json',
    id: 'SRNumber',
    created: 'CreatedDate',
    level1: 'RequestType',
    content: 'ActionTaken',
    closed: 'ClosedDate',
    format: '%m/%d/%Y %I:%M:%S %p',
  },
  {
    file: 'la311-hackforla/service_requests.csv',
    mapping: 'la311-2020.json',
    id: 'srnumber',
    created: 'created_date',
    level1: 'type_id',
    content: 'address',
    closed: 'closed_date',
  },
  // 泰迪杯 2020 留言板 附件2 (see /work/realdata/README.md): '2020/1/6 12:09:38', one 一级分类, title + detail
  // joined into content; the CSV conversion carries 64,707 empty ',,,,,' rows after its 495 messages
  { file: 'tipdm2020/a2.csv', ...TIPDM },
  { file: 'tipdm2020/a2.xlsx', ...TIPDM, rawFile: 'tipdm2020/a2.csv' },
  // 人民网「领导留言板」 search export (rm-gas): '2023-01-16 19:26', one level (domainName), 市辖区 as a city name
  {
    file: 'rm-gas/all_pages_location.csv',
    mapping: 'rm-gas.json',
    id: 'replyID',
    created: 'replyDate',
    level1: 'domainName',
    content: ['title', 'replyContentMain'],
    closed: 'handleTime',
  },
];

const WINDOW = { from: '2000-01-01', to: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) };

/**
 * What the raw file says, read by DuckDB alone: rows, valid rows' distinct ids, level-1 names of valid rows; the
 * valid rows' (id, created) pairs and names are kept in temp tables to compare with the store.
 */
async function rawFacts(store: Store, path: string, s: Source) {
  const v = (c: string) => `nullif(trim(${ident(c)}), '')`;
  const ts = (c: string) => (s.format ? `try_strptime(${v(c)}, ${lit(s.format)})` : `try_cast(${v(c)} AS TIMESTAMP)`);
  const src = `read_csv(${lit(path)}, all_varchar = true, header = true, auto_detect = true)`;
  const content = typeof s.content === 'string' ? v(s.content) : `coalesce(${s.content.map(v).join(', ')})`;
  const valid = `${v(s.id)} IS NOT NULL AND ${ts(s.created)} >= ${lit(WINDOW.from)}::TIMESTAMP
    AND ${ts(s.created)} < ${lit(WINDOW.to)}::TIMESTAMP + INTERVAL 1 DAY AND ${v(s.level1)} IS NOT NULL AND ${content} IS NOT NULL`;
  const r = await store.one<{ rows: number; blank: number; valid_ids: number; names: number }>(
    `SELECT count(*) AS rows, count(*) FILTER (WHERE coalesce(COLUMNS(*)) IS NULL) AS blank,
            count(DISTINCT ${v(s.id)}) FILTER (WHERE ${valid}) AS valid_ids,
            count(DISTINCT ${v(s.level1)}) FILTER (WHERE ${valid}) AS names FROM ${src}`,
  );
  // the level-1 names and (id, created_at) of the valid rows, to compare with what the store holds
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE raw_names AS SELECT DISTINCT ${v(s.level1)} AS name FROM ${src} WHERE ${valid}`,
  );
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE raw_dates AS SELECT ${v(s.id)} AS id, ${ts(s.created)} AS ts FROM ${src} WHERE ${valid}`,
  );
  const t0 = process.cpuUsage();
  await store.exec(`CREATE OR REPLACE TEMP TABLE bare AS SELECT * FROM ${src}`);
  const bare = process.cpuUsage(t0);
  await store.exec('DROP TABLE bare');
  return { ...r!, bareCpu: (bare.user + bare.system) / 1e6 };
}

async function main(): Promise<void> {
  const root = process.env.WEISU_REALDATA ?? '/work/realdata';
  const present = SOURCES.filter((s) => existsSync(join(root, s.file)) && existsSync(join(root, s.rawFile ?? s.file)));
  if (!present.length) {
    console.log(`bench:ingest-real: no real exports under ${root} (set WEISU_REALDATA); skipped`);
    return;
  }
  const log = createLogger({ bench: true });
  log.level = 'warn';
  for (const s of present) {
    const path = join(root, s.file);
    const dir = mkdtempSync(join(tmpdir(), 'weisu-real-'));
    const store = await Store.open(join(dir, 'r.duckdb'));
    try {
      const raw = await rawFacts(store, join(root, s.rawFile ?? s.file), s);
      const mapping = join(packageRoot, 'bench/real-mappings', s.mapping);
      loadMapping(mapping);
      const c0 = process.cpuUsage();
      const sum = await ingestFiles(store, [path], { mapping, salt: 'bench-salt-0123456789', log, dateWindow: WINDOW });
      const used = process.cpuUsage(c0);
      const cpu = (used.user + used.system) / 1e6;
      const stored = (await store.one<{ outside: number; names: number; orders: number }>(
        `SELECT count(*) FILTER (WHERE created_at < $from::TIMESTAMP OR created_at >= $to::TIMESTAMP + INTERVAL 1 DAY
                                   OR closed_at < $from::TIMESTAMP OR closed_at >= $to::TIMESTAMP + INTERVAL 1 DAY) AS outside,
                count(DISTINCT category_levels[1]) AS names, count(*) AS orders FROM orders`,
        WINDOW,
      ))!;
      const names = (await store.one<{ missing: number; extra: number; slashed: number }>(
        `SELECT (SELECT count(*) FROM (SELECT name FROM raw_names EXCEPT SELECT category_levels[1] FROM orders)) AS missing,
                (SELECT count(*) FROM (SELECT category_levels[1] FROM orders EXCEPT SELECT name FROM raw_names)) AS extra,
                (SELECT count(*) FROM raw_names WHERE contains(name, '/')) AS slashed`,
      ))!;
      const whole = names.missing === 0 && names.extra === 0;
      // every stored created_at is the raw file's own for that id (an id written twice: either of its rows)
      const wrongDates = (await store.value<number>(
        'SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM raw_dates r WHERE r.id = o.order_id AND r.ts = o.created_at)',
      ))!;
      console.log(
        `${s.file}: rows ${raw.rows}${raw.blank ? ` (${raw.blank} all empty)` : ''}, valid ids ${raw.valid_ids}, loaded ${sum.loaded} (${sum.loaded === raw.valid_ids ? 'exact' : 'MISMATCH'}), ` +
          `quarantined ${sum.quarantined}, read ${sum.read}; dates outside the window ${stored.outside}, ` +
          `created_at differing from the raw file's ${wrongDates}; ` +
          `level-1 names ${stored.names} stored / ${raw.names} raw, ${names.slashed} with '/' (${whole ? 'all whole' : `SPLIT: ${names.missing} missing, ${names.extra} extra`}); ` +
          `date_outliers ${sum.date_outliers.reduce((n, d) => n + d.rows, 0)}; ` +
          `CPU ingest ${cpu.toFixed(2)} s / DuckDB bare read${s.rawFile ? ' of the CSV' : ''} ${raw.bareCpu.toFixed(2)} s = ${(cpu / raw.bareCpu).toFixed(2)}×`,
      );
      for (const f of sum.files)
        for (const w of f.warnings ?? []) if (!w.startsWith('以下列未读入')) console.log(`    ${w}`);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
