/**
 * CPU cost of reading timestamps (ingest_ts_read, sql/ingest/macros.sql) by the form an export writes them in:
 * `nice -n 10 npx tsx bench/ts-read-cost.ts [--rows N] [--macros FILE]`. One million generated texts per form (no
 * data needed) on one DuckDB thread; prints the process CPU-seconds of reading each form and how many were read. With
 * `--macros FILE` it measures another version (e.g. `git show REV:sql/ingest/macros.sql > old.sql`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store } from '../src/store/db.js';
import { packageRoot } from '../src/store/paths.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, macros: { type: 'string' } } });
const rows = Number(values.rows);
const T = "TIMESTAMP '2022-01-01' + to_seconds(i * 37)";
const FORMS: Record<string, string> = {
  plain: `strftime(${T}, '%Y-%m-%d %H:%M:%S')`,
  slash: `strftime(${T}, '%Y/%-m/%-d %H:%M')`,
  unreadable: "'n/a ' || (i % 100)::VARCHAR",
  afternoon: `strftime(${T}, '%Y/%-m/%-d ') || '下午 ' || strftime(${T}, '%I:%M:%S')`,
};

const store = await Store.open(':memory:', { migrate: false });
await store.exec('SET threads = 1');
await store.exec(readFileSync(values.macros ?? join(packageRoot, 'sql/ingest/macros.sql'), 'utf8'));
for (const [form, gen] of Object.entries(FORMS)) {
  await store.exec(`CREATE OR REPLACE TABLE t AS SELECT ${gen} AS s FROM range($n) r(i)`, { n: rows });
  const t0 = process.cpuUsage();
  const read = await store.value<number>(
    "SELECT count(ingest_ts_read(s, ['%Y-%m-%d %H:%M:%S'], 'Asia/Shanghai', true))::INT FROM t",
  );
  const u = process.cpuUsage(t0);
  console.log(`${form.padEnd(10)} rows ${rows} read ${read} cpu_s ${((u.user + u.system) / 1e6).toFixed(2)}`);
}
store.close();
