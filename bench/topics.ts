/**
 * npm run bench:topics — the month's topics on a large store.
 *
 * Builds (once, in SQL) a store of BENCH_ORDERS orders (default 10,000,000) over 2023-01 … 2026-11 across the
 * taxonomy's level-2 categories, with root-cause tags, places and a hotspot snapshot, then times the topic stage for
 * December 2026 (median of BENCH_RUNS runs, default 3), then writes the month's report once, and prints orders,
 * seconds and peak RSS.
 *
 * Env: BENCH_ORDERS, BENCH_RUNS, BENCH_DB (store file; reused when it already holds the orders).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFrom } from '../src/store/config.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { loadTaxonomy } from '../src/store/taxonomy.js';
import { runTopics } from '../src/topics/stage.js';
import { writeReport } from '../src/report/stage.js';

const N = Number(process.env.BENCH_ORDERS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DB = process.env.BENCH_DB ?? join(tmpdir(), `weisu-bench-topics-${N}.duckdb`);
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

async function build(store: Store): Promise<void> {
  const cats = loadTaxonomy().level2;
  const t0 = performance.now();
  // Categories get Zipf-like shares; one category (index 7) rises 70% in November 2026, as a planted topic.
  await store.exec('CREATE OR REPLACE TABLE bench_cats (k INTEGER, cat2 VARCHAR, cat1 VARCHAR, w DOUBLE)');
  for (const [i, c] of cats.entries())
    await store.exec('INSERT INTO bench_cats VALUES ($k, $c, $c1, $w)', {
      k: i,
      c,
      c1: c.split('/')[0],
      w: 1 / (i + 3),
    });
  await store.exec(`CREATE OR REPLACE TEMP TABLE bench_cdf AS
    SELECT k, cat2, cat1, coalesce(lag(hi) OVER (ORDER BY k), 0) AS lo, hi
    FROM (SELECT k, cat2, cat1, sum(w) OVER (ORDER BY k) / sum(w) OVER () AS hi FROM bench_cats)`);
  await store.exec(`
    INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, lon, lat, dept, closed_at, satisfaction,
                        row_hash, first_seq, seq, loaded_at)
    WITH draws AS (
      SELECT i,
             TIMESTAMP '2023-01-01' + INTERVAL (CAST(floor(1430 * ((hash(i, 1) % 1000003) / 1000003.0)) AS INTEGER)) DAY
               + INTERVAL (CAST(hash(i, 2) % 86400 AS INTEGER)) SECOND AS created_at,
             (hash(i, 3) % 1000003) / 1000003.0 AS u,
             (hash(i, 4) % 1000)::INTEGER AS v
      FROM range(${N}) t(i)
    )
    SELECT 'B' || i, created_at, c.cat2 || '/其他', c.cat1, c.cat2,
           ['反映', '投诉', '咨询', '建议', '求助'][(1 + v % 5)::BIGINT] || c.cat2 || '问题，' || ['多次反映未解决', '影响居民生活', '希望尽快处理', '存在安全隐患'][(1 + v % 4)::BIGINT] || '，地点' || (v % 97) || '号',
           '区' || (v % 9), '街道' || (v % 120), 113.5 + (v % 100) / 500.0, 34.6 + (hash(i, 5) % 100) / 500.0,
           '单位' || (v % 40), created_at + INTERVAL 3 DAY, CASE WHEN v < 80 THEN '不满意' ELSE '满意' END,
           hash(i), 1, 1, now()::TIMESTAMP
    FROM draws d
    JOIN bench_cdf c ON d.u >= c.lo AND d.u < c.hi`);
  console.log(`  orders: ${N.toLocaleString()} in ${secs(t0)} s`);
  // the planted rise: 70% more orders of category 7 in November 2026
  await store.exec(`
    INSERT INTO orders SELECT * REPLACE ('P' || order_id AS order_id)
    FROM orders WHERE cat2 = (SELECT cat2 FROM bench_cats WHERE k = 7) AND created_at >= '2026-11-01' AND created_at < '2026-12-01'
      AND hash(order_id) % 10 < 7`);
  const t1 = performance.now();
  await store.exec(
    `INSERT INTO order_tags SELECT order_id, ['权责交叉', '服务落实不到位', '基础设施短板', '其他'][(1 + hash(order_id, 9) % 4)::BIGINT], 0.8, 'lexicon', 1 FROM orders`,
  );
  await store.exec(
    `INSERT INTO order_flags (order_id, is_repeat, out_of_scope, seq) SELECT order_id, hash(order_id, 7) % 10 = 0, hash(order_id, 8) % 100 = 0, 1 FROM orders`,
  );
  await store.exec(`INSERT INTO order_places (order_id, cell, district, street, match, coord_status, seq) SELECT order_id, h3_cell, district, street, 'point', 'inside', 1
    FROM (SELECT order_id, district, street, '88' || lpad(printf('%x', hash(lon, lat) % 4000), 13, '0') AS h3_cell FROM orders)`);
  console.log(`  tags, flags, places in ${secs(t1)} s`);
  const t2 = performance.now();
  await store.exec(`INSERT INTO daily_counts
    SELECT created_at::DATE, cat1, cat2, district_r, street_r, count(*), count(*) FILTER (WHERE is_repeat), count(*) FILTER (WHERE out_of_scope),
           count(*) FILTER (WHERE satisfaction = '不满意'), count(*) FILTER (WHERE closed_at IS NOT NULL)
    FROM orders_enriched GROUP BY ALL`);
  await store.exec(`INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, kind)
    SELECT '2026-12-01', cell, 113.6, 34.7, cat2, count(*), 3 + count(*) / 1000.0, 'hot'
    FROM orders_enriched WHERE created_at >= '2026-11-03' AND created_at < '2026-12-01'
    GROUP BY cell, cat2 QUALIFY row_number() OVER (PARTITION BY cat2 ORDER BY count(*) DESC) <= 3`);
  console.log(`  daily_counts, hotspots in ${secs(t2)} s`);
  await store.checkpoint();
}

const store = await Store.open(DB);
const have = (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
console.log(`bench:topics — store ${DB}`);
if (have < N) {
  if (have > 0) throw new Error(`${DB} holds ${have} orders, fewer than ${N}: delete it first`);
  await build(store);
}
const orders = (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
const config = configFrom({ city: { name: '基准市' } });
const log = createLogger({ level: 'warn' } as never);
const times: number[] = [];
let top = '';
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const res = await store.tx(() =>
    runTopics({ store, asOf: '2026-12-01', runId: 'bench', log, config, outDir: tmpdir(), progress: () => {} }),
  );
  times.push((performance.now() - t0) / 1000);
  top = res.candidates.map((c) => c.category).join(', ');
}
times.sort((a, b) => a - b);
const planted = await store.value<string>('SELECT cat2 FROM bench_cats WHERE k = 7');
console.log(
  `  topics for 2026-12 on ${orders.toLocaleString()} orders: median ${times[Math.floor(times.length / 2)].toFixed(2)} s of ${RUNS} runs (${times.map((t) => t.toFixed(2)).join(', ')})`,
);
console.log(`  candidates: ${top}${planted ? `  (planted rise: ${planted})` : ''}`);
const rt0 = performance.now();
const report = await store.tx(() =>
  writeReport({
    store,
    asOf: '2026-12-01',
    runId: 'bench',
    log,
    config,
    outDir: join(tmpdir(), 'weisu-bench-topics-out'),
    progress: () => {},
  }),
);
console.log(
  `  report for 2026-12: ${secs(rt0)} s (${report.charts} charts, ${Math.round(report.htmlBytes / 1024)} KB) → ${report.html}`,
);
console.log(`  peak RSS ${rss()} MB`);
store.close();
if (!existsSync(DB)) process.exitCode = 1;
