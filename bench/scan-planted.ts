/**
 * The scan on cities it has not seen, and what it costs: for each city (seed, scale, end; other seeds give other
 * shapes, planted cells, categories and dates) a demo city is generated and placed, then
 * - each planted hotspot is looked at 7, 10 and 14 days after it starts: what the scan saw in its cell (orders in its
 *   first week, the cylinder's orders, expected, p, the FDR level across layers) and, for each recurrence interval
 *   compared (INTERVALS; Infinity is the FDR level alone, the rule before scanRecurrenceDays), whether it was above its
 *   usual level and how many other (cell, layer) pairs were; `found_after_days` per interval;
 * - the false side: the hotspot run on every day of the last `--quiet-days` days before the end, counting the rows
 *   above their usual level outside the planted cells, and the (cell, layer) pairs that became so that week — the
 *   hotspots a grid worker would be sent to that no planted hotspot explains (district-wide planted rises may). `--quiet` generates cities with no planted
 *   events at all (synth option `quiet`), where every such row is a false alarm.
 *
 *   npx tsx bench/scan-planted.ts [--cities 12345:0.05:2026-12-01:270,777:0.05:2026-06-01,...] [--quiet]
 *     [--quiet-days 28] [--cfg '{"scanReps":99}']
 *
 * A city is seed:scale:end[:days of history] (default 400 days).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHotspots } from '../src/spatial/hotspot-stage.js';
import { spatialConfig, type HotspotConfig } from '../src/spatial/config.js';
import { placeStage } from '../src/spatial/stage.js';
import { loadConfig } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { generateCity, type PlantedEvent } from '../src/synth/index.js';
import { loadDemoOrders } from './demo-city.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const cities = opt(
  'cities',
  '12345:0.05:2026-12-01:275,777:0.05:2026-06-01,4242:0.05:2026-09-15,9001:0.1:2026-04-20,31337:0.03:2026-11-10',
)
  .split(',')
  .map((c) => {
    const [seed, scale, end, days] = c.split(':');
    return { seed: Number(seed), scale: Number(scale), end, days: Number(days ?? 400) };
  });
const quiet = args.includes('--quiet');
const quietDays = Number(opt('quiet-days', '28'));
const overrides = JSON.parse(opt('cfg', '{}')) as Partial<HotspotConfig>;
const log = createLogger({ bench: 'scan-planted' });

/** Recurrence intervals compared (days; Infinity = the FDR level alone, the rule before scanRecurrenceDays). */
const INTERVALS = [Infinity, 365, 100, 50];
const levelOf = (fdr: number, ri: number) => Math.max(fdr, 1 / ri);

/** What the scan saw of one planted hotspot on one as-of. */
async function lookFor(store: Store, cfg: HotspotConfig, e: PlantedEvent, asOf: string) {
  const run = await findHotspots(store, asOf, cfg);
  const idx = run.cells.indexOf(e.cells![0]);
  const s = run.scans?.scans.get(e.category);
  const fdr = run.scans?.fdrLevel ?? 0;
  const p = s && idx >= 0 && s.llr[idx] > 0 ? s.p[idx] : 1;
  const others = (ri: number) =>
    [...(run.scans?.scans ?? [])].reduce(
      (a, [key, t]) =>
        a + t.p.filter((v, i) => t.llr[i] > 0 && v <= levelOf(fdr, ri) && !(i === idx && key === e.category)).length,
      0,
    );
  const firstWeek = await store.value<number>(
    `SELECT count(*) FROM orders_placed WHERE cell = $cell AND cat2 = $cat AND created_at >= $s::TIMESTAMP AND created_at < least($s::DATE + 7, $a::DATE)::TIMESTAMP`,
    { cell: e.cells![0], cat: e.category, s: e.start, a: asOf },
  );
  return {
    first_week_orders: Number(firstWeek),
    observed: s && idx >= 0 ? s.observed[idx] : null,
    expected: s && idx >= 0 ? Number(s.expected[idx].toFixed(3)) : null,
    weeks: s && idx >= 0 ? s.weeks[idx] : null,
    p: Number(p.toPrecision(3)),
    fdr_level: Number(fdr.toPrecision(3)),
    hit: Object.fromEntries(INTERVALS.map((ri) => [ri, p <= levelOf(fdr, ri)])),
    other_rows_above_usual: Object.fromEntries(INTERVALS.map((ri) => [ri, others(ri)])),
  };
}

/**
 * Every day of the last `days` before end: per recurrence interval, the (cell, layer) pairs above their usual level
 * outside planted cells per run, and those new in each week (not above usual on any earlier day of the period).
 */
async function falseSide(store: Store, cfg: HotspotConfig, end: string, planted: Set<string>, days: number) {
  const perRun = new Map<number, number[]>(INTERVALS.map((ri) => [ri, []]));
  const perWeek = new Map<number, number[]>(INTERVALS.map((ri) => [ri, []]));
  const seen = new Map<number, Set<string>>(INTERVALS.map((ri) => [ri, new Set()]));
  const fresh = new Map<number, number>(INTERVALS.map((ri) => [ri, 0]));
  for (let d = days; d >= 1; d--) {
    const run = await findHotspots(store, addDays(end, -d), cfg);
    const fdr = run.scans?.fdrLevel ?? 0;
    for (const ri of INTERVALS) {
      const pairs: string[] = [];
      for (const [key, s] of run.scans?.scans ?? [])
        s.p.forEach((p, i) => {
          if (s.llr[i] > 0 && p <= levelOf(fdr, ri) && !planted.has(run.cells[i])) pairs.push(`${run.cells[i]}|${key}`);
        });
      perRun.get(ri)!.push(pairs.length);
      for (const p of pairs)
        if (!seen.get(ri)!.has(p)) {
          seen.get(ri)!.add(p);
          fresh.set(ri, fresh.get(ri)! + 1);
        }
      if ((days - d + 1) % 7 === 0) {
        perWeek.get(ri)!.push(fresh.get(ri)!);
        fresh.set(ri, 0);
      }
    }
  }
  return Object.fromEntries(
    INTERVALS.map((ri) => [ri, { rows_above_usual_per_run: perRun.get(ri), new_pairs_per_week: perWeek.get(ri) }]),
  );
}

for (const c of cities) {
  const dir = mkdtempSync(join(tmpdir(), 'weisu-scan-'));
  try {
    const start = addDays(c.end, -c.days);
    const g = await generateCity({ outDir: dir, seed: c.seed, scale: c.scale, start, end: c.end, log, quiet });
    const store = await Store.open(join(dir, 'store.duckdb'));
    const files = readdirSync(dir).filter((f) => /^orders-\d+\.parquet$/.test(f));
    const orders = await loadDemoOrders(
      store,
      files.map((f) => join(dir, f)),
    );
    const config = loadConfig(g.configFile);
    const cfg = { ...spatialConfig(config).hotspots, ...overrides };
    const ctx = { store, asOf: c.end, runId: 'bench', log, config, outDir: dir, progress: () => {} };
    await store.tx(() => placeStage.run(ctx));
    const hotspots = g.truth.events.filter((ev) => ev.kind === 'hotspot');
    for (const e of hotspots) {
      const seen: Record<string, Awaited<ReturnType<typeof lookFor>>> = {};
      for (const days of [7, 10, 14]) {
        const asOf = addDays(e.start, days) < c.end ? addDays(e.start, days) : c.end;
        seen[`d${days}`] = await lookFor(store, cfg, e, asOf);
      }
      // per recurrence interval, the first of 7, 10, 14 days at which it was above its usual level
      const found = Object.fromEntries(
        INTERVALS.map((ri) => [ri, [7, 10, 14].find((d) => seen[`d${d}`].hit[ri]) ?? null]),
      );
      const ev = { event: e.id, category: e.category, leaf: e.leaf, start: e.start };
      console.log(JSON.stringify({ ...c, ...ev, found_after_days: found, ...seen }));
    }
    const planted = new Set(hotspots.flatMap((e) => e.cells ?? []));
    const fs = await falseSide(store, cfg, c.end, planted, quietDays);
    console.log(JSON.stringify({ ...c, quiet, orders, false_side: fs }));
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
