import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoOrders } from '../../bench/demo-city.js';
import { monthly, nightly } from '../../pipelines/index.js';
import { runPipeline, type RunResult } from '../../src/pipeline/runner.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import { loadConfig, type Config } from '../../src/store/config.js';
import { Store } from '../../src/store/db.js';
import { createLogger } from '../../src/store/log.js';
import { generateCity } from '../../src/synth/index.js';
import { createTagStage, type TagTimings } from '../../src/tag/stage.js';
import { tempDir } from '../helpers.js';

// Issue 28: the monthly report ran out of DuckDB's memory on a 10M-order store while every test, on a few thousand
// orders, passed: a query hashed every order of the store, so its memory grew with the city. This guard builds a
// city of over 40k orders (asserted below), then runs the first night's tagging of every stored order, a night with
// new orders arriving in the drop folder and the month under a DuckDB memory limit scaled down with the store, with
// spilling to disk turned off: a query whose working set grows with the store fails here, at a
// size where it would otherwise quietly spill. One thread, so the need does not depend on the machine. Calibrated on this city (2026-12-06): the code of issue 28 passed at 96 MB and
// failed at 80 MB; with the space-time scan, the phone page's links and the level-3 counts the nightly push stage
// needs 96–104 MB, so the limit is 112 MB; the code before issue 28 needed 128 MB here, and grows with the store
// (it hashed every order's flags and places to list the hotspot items). WEISU_GUARD_LIMIT overrides the limit.
const LIMIT = process.env.WEISU_GUARD_LIMIT ?? '112MB';
// The first night tags every stored order, a page at a time; pages scaled down with the store too, so the guard
// city is tagged in several pages (asserted) and the scored rows held in JS must stay a page's, not the city's.
const PAGE = 4096;
const NIGHT = '2026-11-28';
const AS_OF = '2026-12-01';

let dir: { dir: string; cleanup: () => void };
let dbPath: string;
let config: Config;

/** Open the store as the guard runs it: DuckDB's memory limited as above, one thread, no spilling. */
async function openLimited(): Promise<Store> {
  const store = await Store.open(dbPath, { memoryLimit: LIMIT, threads: 1 });
  // without a temp directory DuckDB cannot move data out of memory: the limit is a hard ceiling
  await store.exec("SET temp_directory = ''");
  // rows a stage writes stay in memory until a checkpoint writes them to the file; without spilling they would
  // add up stage after stage (tens of MB over a month's run here), so they are written out early
  await store.exec("SET checkpoint_threshold = '1MB'");
  return store;
}

async function run(store: Store, pipeline: Pipeline, asOf: string): Promise<RunResult> {
  // no retries: an out-of-memory stage fails the same way again
  return runPipeline(store, pipeline, { asOf, config, log: createLogger(), outDir: dir.dir, retries: 0 });
}

/** The stages of a run that did not end ok, with their errors (empty when the run was ok). */
async function failures(store: Store, r: RunResult): Promise<string[]> {
  const rows = await store.all<{ stage: string; error: string | null }>(
    "SELECT stage, error FROM run_stages WHERE run_id = $id AND status <> 'ok' ORDER BY started_at",
    { id: r.runId },
  );
  return rows.map((x) => `${x.stage}: ${(x.error ?? '').split('\n')[0]}`);
}

beforeAll(async () => {
  dir = tempDir('weisu-memory-guard-');
  const city = join(dir.dir, 'city');
  const g = await generateCity({ outDir: city, seed: 28, scale: 0.03, start: '2024-11-01', end: AS_OF });
  const drop = join(dir.dir, 'drop');
  mkdirSync(drop);
  const configFile = join(city, 'guard.config.json');
  // the drop files are written just before each night: read them at once (ingest.settle_minutes 0)
  const city0 = JSON.parse(readFileSync(g.configFile, 'utf8')) as { ingest?: Record<string, unknown> };
  writeFileSync(
    configFile,
    JSON.stringify({ ...city0, dropFolder: drop, ingest: { ...city0.ingest, settle_minutes: 0 } }),
  );
  config = loadConfig(configFile);

  // the store as of the night before, ingested with the default memory
  dbPath = join(dir.dir, 'guard.duckdb');
  const store = await Store.open(dbPath);
  const files = readdirSync(city)
    .filter((f) => /^orders-\d+\.parquet$/.test(f))
    .map((f) => join(city, f));
  await loadDemoOrders(store, files);
  await store.exec(
    `COPY (SELECT * FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}]) WHERE created_at >= '${NIGHT}')
     TO '${join(drop, 'night.parquet')}' (FORMAT parquet)`,
  );
  await store.exec(`DELETE FROM orders WHERE created_at >= '${NIGHT}'`);
  store.close();
}, 300_000);

afterAll(() => dir?.cleanup());

describe(`nightly and monthly runs within ${LIMIT}, no spilling`, () => {
  it('the first night tags every stored order within the limit, its scored rows a page at a time', async () => {
    const store = await openLimited();
    try {
      const orders = (await store.value<number>('SELECT count(*)::INTEGER FROM orders')) ?? 0;
      expect(orders).toBeGreaterThan(40_000);
      const timings: TagTimings = { ms: {}, cpuMs: {} };
      const tag = createTagStage({ scoring: { pageOrders: PAGE }, timings });
      const tagged = await run(store, { ...nightly, stages: [tag] }, NIGHT);
      expect(await failures(store, tagged)).toEqual([]);
      expect(tagged.counts.tag?.orders).toBe(orders);
      // held at once: at most a page's orders with their tags, where holding the city's would be more than that
      const tags = (await store.one<{ rows: number; most: number }>(
        'SELECT sum(n)::INTEGER AS rows, max(n)::INTEGER AS most FROM (SELECT count(*) AS n FROM order_tags GROUP BY order_id)',
      ))!;
      expect(tags.rows).toBeGreaterThan(PAGE * tags.most);
      expect(timings.heldRows).toBeGreaterThan(0);
      expect(timings.heldRows).toBeLessThanOrEqual(PAGE * tags.most);
    } finally {
      store.close();
    }
    // the rest of the first night with the default memory: placing every stored order at once needs more than the
    // guard's limit at this size (the place stage's first run is not guarded yet)
    const store2 = await Store.open(dbPath);
    try {
      const rest = nightly.stages.filter((s) => s.name !== 'ingest' && s.name !== 'tag');
      expect((await run(store2, { ...nightly, stages: rest }, NIGHT)).status).toBe('ok');
    } finally {
      store2.close();
    }
  }, 240_000);

  // runs on the store the first night left (the tests of a file run in order)
  it('every stage of a night with new orders and of the month fits', async () => {
    const store = await openLimited();
    try {
      const night = await run(store, nightly, AS_OF);
      expect(await failures(store, night)).toEqual([]);
      expect(night.counts.ingest?.loaded).toBeGreaterThan(0);
      const month = await run(store, monthly, AS_OF);
      expect(await failures(store, month)).toEqual([]);
      expect(month.counts.report?.candidates).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 240_000);
});
