/**
 * CPU cost of the ingest mask (mask_pii, sql/ingest/macros.sql) on real Chinese texts: `npx tsx bench/mask-cost.ts
 * [--copies N] [--runs N]`. Reads the 人民网 留言板 texts from WEISU_REALDATA (default /work/realdata, rm-gas/; see its
 * README — nothing of it is committed), repeats them N times (default 300: 315,000 texts of about 200 characters, each
 * with a number appended so no two are alike) and prints the process CPU time of masking them all, per run. With
 * `--macros FILE` it measures another version of macros.sql (e.g. `git show REV:sql/ingest/macros.sql > old.sql`).
 * Skips with a message when the data is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store } from '../src/store/db.js';
import { packageRoot } from '../src/store/paths.js';

const { values } = parseArgs({
  options: {
    copies: { type: 'string', default: '300' },
    runs: { type: 'string', default: '3' },
    macros: { type: 'string' },
  },
});
const root = process.env.WEISU_REALDATA ?? '/work/realdata';
const file = join(root, 'rm-gas/all_pages_location.csv');
if (!existsSync(file)) {
  console.log(`bench:mask-cost: ${file} is absent (set WEISU_REALDATA); skipped`);
  process.exit(0);
}
const store = await Store.open(':memory:');
await store.exec(readFileSync(values.macros ?? join(packageRoot, 'sql/ingest/macros.sql'), 'utf8'));
await store.exec(
  `CREATE TABLE t AS SELECT replyContentMain || i::VARCHAR AS c
   FROM read_csv($f, all_varchar = true), range(CAST($n AS INTEGER)) r(i)`,
  { f: file, n: Number(values.copies) },
);
const texts = await store.value<number>('SELECT count(*) FROM t');
for (let r = 0; r < Number(values.runs); r++) {
  const t0 = process.cpuUsage();
  const w0 = Date.now();
  await store.exec('CREATE OR REPLACE TABLE o AS SELECT mask_pii(c) AS m FROM t');
  const u = process.cpuUsage(t0);
  console.log(
    `mask_pii over ${texts} texts: ${((u.user + u.system) / 1e6).toFixed(2)} CPU-s, ${Date.now() - w0} ms wall`,
  );
}
store.close();
