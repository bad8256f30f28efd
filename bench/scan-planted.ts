/**
 * The scan on cities it has not seen, and what it costs: for each city (seed, scale, end; other seeds give other
 * shapes, planted cells, categories and dates) a demo city is generated and placed, then
 * - each planted hotspot is looked at 7, 10 and 14 days after it starts: what the scan saw in its cell (orders in its
 *   first week, the cylinder's orders, expected, strength, its p within its layer and city-wide) and, for each rule
 *   compared (RULES: the per-layer rule before, the city-wide rule at several scanRecurrenceDays, the plain per-cell
 *   Poisson rule of bench/scan-rules.ts, the `--probe` levels), whether it was above its usual level and how many
 *   other (cell, layer) pairs were; `found_after_days` per rule; at 7 days also what an oracle knowing the cell sees
 *   (`oracle_*`: its Poisson p) and what flagging that p everywhere costs (`null_pairs_*` per night);
 * - the false side: the hotspot run on every day of the last `--quiet-days` days before the end, counting the rows
 *   above their usual level outside the planted cells, and the (cell, layer) pairs that became so that week — the
 *   hotspots a grid worker would be sent to that no planted hotspot explains (district-wide planted rises may) — and
 *   each night's smallest city-wide p outside planted cells (uniform when the null is right). `--quiet` generates
 *   cities with no planted events at all (synth option `quiet`), where every such row is a false alarm.
 *
 *   npx tsx bench/scan-planted.ts [--cities 12345:0.05:2026-12-01:270,777:0.05:2026-06-01,...] [--quiet]
 *     [--quiet-days 28] [--cfg '{"scanReps":99}'] [--probe 3:5.89e-5,2:1.14e-3]
 *
 * `--probe c:level` adds the rule "at least c orders in the last 7 days with a Poisson p ≤ level against the scan's
 * expectation" (probeFlags): given the level an oracle needs for one planted hotspot, its false side on quiet cities is
 * what flagging that hotspot without knowing its cell would cost.
 *
 * A city is seed:scale:end[:days of history] (default 400 days).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHotspots, type HotspotRun } from '../src/spatial/hotspot-stage.js';
import { poissonUpper } from '../src/spatial/fdr.js';
import { spatialConfig, type HotspotConfig } from '../src/spatial/config.js';
import { placeStage } from '../src/spatial/stage.js';
import { loadConfig } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { generateCity, type PlantedEvent } from '../src/synth/index.js';
import { loadDemoOrders } from './demo-city.js';
import { poissonFlags, probeFlags, shareWeeks, type ShareWeek } from './scan-rules.js';

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

/**
 * The rules compared: `layer100`, the rule before (a cell's p within its layer ≤ the larger of 1/100 and
 * Benjamini–Hochberg at 0.05 over the layers' smallest p), and `city<N>`, the family-wise rule now (the cell's city-wide
 * p ≤ 1/N, scanRecurrenceDays N).
 */
const CITY = [7, 14, 30, 100, 365];
/** `--probe 3:5.9e-5,2:1.1e-3`: probeFlags at least count : level, named probe<count>@<level>. */
const PROBES = opt('probe', '')
  .split(',')
  .filter(Boolean)
  .map((x) => x.split(':').map(Number) as [number, number]);
const RULES = ['layer100', ...CITY.map((n) => `city${n}`), 'poisson', ...PROBES.map(([c, l]) => `probe${c}@${l}`)];

/** Benjamini–Hochberg's level over the layers, one test each (its smallest p): the rule before. */
function layerThreshold(layerMin: readonly number[], q: number): number {
  const sorted = [...layerMin].sort((a, b) => a - b);
  let level = 0;
  sorted.forEach((p, k) => {
    if (p <= ((k + 1) * q) / sorted.length) level = ((k + 1) * q) / sorted.length;
  });
  return level;
}

/**
 * Per rule, whether (layer key, cell i) of a run is above its usual level. `poisson` is no scan: the plain per-cell
 * rule of bench/scan-rules.ts (the last 7 days against the cell's own 8 weeks before, Bonferroni at the stage's
 * scanRecurrenceDays), for the comparison at equal false-alarm rates.
 */
async function rules(store: Store, cfg: HotspotConfig, run: HotspotRun, asOf: string) {
  const ls = run.scans;
  if (!ls) return Object.fromEntries(RULES.map((r) => [r, () => false])) as Record<string, () => boolean>;
  const flagged = new Set((await poissonFlags(store, run, cfg, asOf)).bonf.map((f) => `${f.cell}|${f.layer}`));
  const layerMin = [...ls.scans.values()].map((s) => Math.min(1, ...s.p));
  const before = Math.max(layerThreshold(layerMin, 0.05), 0.01);
  const out: Record<string, (key: string, i: number) => boolean> = {
    layer100: (key, i) => ls.scans.get(key)!.llr[i] > 0 && ls.scans.get(key)!.p[i] <= before,
  };
  for (const n of CITY) out[`city${n}`] = (key, i) => ls.cityP.get(key)![i] <= 1 / n;
  out.poisson = (key, i) => flagged.has(`${run.cells[i]}|${key}`);
  const weeks = PROBES.length ? await shareWeeks(store, run, cfg, asOf) : [];
  for (const [c, l] of PROBES) {
    const set = probeFlags(weeks, c, l);
    out[`probe${c}@${l}`] = (key, i) => set.has(`${run.cells[i]}|${key}`);
  }
  return out;
}

/**
 * What an oracle knowing the planted cell and layer would see in the last 7 days: the cell's orders, what its usual
 * share predicts (its share of the layer's study-year orders × the layer's city total of the week, the scan's own
 * expectation), the Poisson p of that count — and, at that p, the price of not knowing the cell: the expected number of
 * (cell, layer) pairs of the night (every scanned layer × study cell) whose own Poisson p would be at least as small by
 * chance (Σ P(X_i ≥ k_i), k_i the least count reaching the oracle's p). A city-wide rule that flags the planted cell
 * without knowing it must flag what is as unusual elsewhere: that many false (cell, layer) pairs a night.
 */
async function oracle(store: Store, cfg: HotspotConfig, run: HotspotRun, e: PlantedEvent, asOf: string) {
  const rows = await shareWeeks(store, run, cfg, asOf);
  const mu = (r: ShareWeek) => r.mu;
  const mine = rows.find((r) => r.cell === e.cells![0] && r.layer === e.category);
  if (!mine) return { oracle_week: 0, oracle_expected: null, oracle_p: 1, null_pairs_as_extreme_per_night: null };
  const p = poissonUpper(mine.week, mu(mine));
  // all pairs; those whose own expectation is at most twice the planted cell's (what a rule testing only cells with a
  // small baseline still faces); and with a least count equal to the planted week's (a rule flagging no pair below
  // it, as scanMinCount does): the best any per-cell rule could do for this event
  let pairs = 0;
  let small = 0;
  let least = 0;
  for (const r of rows) {
    const m = mu(r);
    let k = Math.max(1, Math.ceil(m));
    while (poissonUpper(k, m) > p) k++;
    pairs += poissonUpper(k, m);
    if (m <= 2 * mu(mine)) small += poissonUpper(k, m);
    least += poissonUpper(Math.max(k, mine.week), m);
  }
  return {
    oracle_week: mine.week,
    oracle_expected: Number(mu(mine).toFixed(3)),
    oracle_p: Number(p.toPrecision(3)),
    null_pairs_as_extreme_per_night: Number(pairs.toPrecision(3)),
    null_pairs_small_baseline: Number(small.toPrecision(3)),
    null_pairs_at_least_its_count: Number(least.toPrecision(3)),
    // pairs tested (study cells with any order of the layer in the study year), for the Bonferroni level below
    pairs_tested: rows.length,
  };
}

/** What the scan saw of one planted hotspot on one as-of. */
async function lookFor(store: Store, cfg: HotspotConfig, e: PlantedEvent, asOf: string) {
  const run = await findHotspots(store, asOf, cfg);
  const idx = run.cells.indexOf(e.cells![0]);
  const s = run.scans?.scans.get(e.category);
  const at = s && idx >= 0;
  const rule = await rules(store, cfg, run, asOf);
  const others = (r: string) =>
    [...(run.scans?.scans ?? [])].reduce(
      (a, [key, t]) => a + t.llr.filter((_, i) => rule[r](key, i) && !(i === idx && key === e.category)).length,
      0,
    );
  const firstWeek = await store.value<number>(
    `SELECT count(*) FROM orders_placed WHERE cell = $cell AND cat2 = $cat AND created_at >= $s::TIMESTAMP AND created_at < least($s::DATE + 7, $a::DATE)::TIMESTAMP`,
    { cell: e.cells![0], cat: e.category, s: e.start, a: asOf },
  );
  return {
    first_week_orders: Number(firstWeek),
    ...(asOf === addDays(e.start, 7) ? await oracle(store, cfg, run, e, asOf) : {}),
    observed: at ? s.observed[idx] : null,
    expected: at ? Number(s.expected[idx].toFixed(3)) : null,
    weeks: at ? s.weeks[idx] : null,
    strength: at ? Number(s.llr[idx].toFixed(2)) : null,
    layer_p: at && s.llr[idx] > 0 ? Number(s.p[idx].toPrecision(3)) : 1,
    city_p: at ? Number(run.scans!.cityP.get(e.category)![idx].toPrecision(3)) : 1,
    hit: Object.fromEntries(RULES.map((r) => [r, at ? rule[r](e.category, idx) : false])),
    other_rows_above_usual: Object.fromEntries(RULES.map((r) => [r, others(r)])),
  };
}

/**
 * Every day of the last `days` before end: per recurrence interval, the (cell, layer) pairs above their usual level
 * outside planted cells per run, and those new in each week (not above usual on any earlier day of the period).
 */
async function falseSide(store: Store, cfg: HotspotConfig, end: string, planted: Set<string>, days: number) {
  const perRun = new Map<string, number[]>(RULES.map((r) => [r, []]));
  const perWeek = new Map<string, number[]>(RULES.map((r) => [r, []]));
  const seen = new Map<string, Set<string>>(RULES.map((r) => [r, new Set()]));
  const fresh = new Map<string, number>(RULES.map((r) => [r, 0]));
  const cityMaxP: number[] = [];
  for (let d = days; d >= 1; d--) {
    const run = await findHotspots(store, addDays(end, -d), cfg);
    const rule = await rules(store, cfg, run, addDays(end, -d));
    // the night's strongest cylinder outside planted cells, and its city-wide p: uniform if the null is right
    let best = 1;
    for (const [, p] of run.scans?.cityP ?? [])
      p.forEach((v, i) => {
        if (!planted.has(run.cells[i])) best = Math.min(best, v);
      });
    cityMaxP.push(Number(best.toPrecision(2)));
    for (const r of RULES) {
      const pairs: string[] = [];
      for (const [key, s] of run.scans?.scans ?? [])
        s.llr.forEach((_, i) => {
          if (rule[r](key, i) && !planted.has(run.cells[i])) pairs.push(`${run.cells[i]}|${key}`);
        });
      perRun.get(r)!.push(pairs.length);
      for (const p of pairs)
        if (!seen.get(r)!.has(p)) {
          seen.get(r)!.add(p);
          fresh.set(r, fresh.get(r)! + 1);
        }
      if ((days - d + 1) % 7 === 0) {
        perWeek.get(r)!.push(fresh.get(r)!);
        fresh.set(r, 0);
      }
    }
  }
  return {
    night_min_city_p: cityMaxP,
    ...Object.fromEntries(
      RULES.map((r) => [r, { rows_above_usual_per_run: perRun.get(r), new_pairs_per_week: perWeek.get(r) }]),
    ),
  };
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
      // per rule, the first of 7, 10, 14 days at which it was above its usual level
      const found = Object.fromEntries(RULES.map((r) => [r, [7, 10, 14].find((d) => seen[`d${d}`].hit[r]) ?? null]));
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
