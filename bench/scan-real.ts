/**
 * The space-time permutation scan on a real export, run as a user runs it: the hotspot stage on every night of a
 * period (`--step` days apart), counting the (cell, layer) pairs that become above their usual level — a new episode
 * when the pair was not above it on any of the 28 nights before — per week, beside rules it is compared with:
 * - `scan`: the stage's own verdict (city-wide p ≤ 1 / scanRecurrenceDays);
 * - `satscan100`, `satscan365`: SaTScan's recurrence interval taken per analysis, one analysis per layer run daily
 *   (RI = 1 / p days ≥ 100 or 365, the thresholds public-health users of daily SaTScan runs set), on the same scan;
 * - `poisson`: a plain per-cell rule with no scan: a (cell, layer)'s orders of the last 7 days against a Poisson of its
 *   own mean week over the 8 weeks before ((orders + 0.5) / 8, so a cell with none there is not certain news), at the
 *   city-wide level of the scan made per test (Bonferroni: p ≤ 1 / (scanRecurrenceDays × cells × layers)), at least
 *   scanMinCount orders;
 * - `poisson001`: the same at p ≤ 0.001 per (cell, layer), what a per-cell rule without a city-wide level raises.
 * Every episode of `scan` and `poisson` is described by the orders of its window in its cell(s) — orders, the top
 * address, 小类 (leaf), channel and day with their shares, days with orders — so a person can judge whether it is one
 * thing at one place (a building, a street swept, a storm) or noise; `--sample N` prints N of them at random.
 *
 *   WEISU_SCAN_REAL_STORE=<loaded, placed store> npx tsx bench/scan-real.ts [--from D] [--to D] [--step 1]
 *   WEISU_REALDATA=/work/realdata npx tsx bench/scan-real.ts      (ingests Boston 311 2015 and places it first)
 *     [--sample 30] [--seed 1] [--out episodes.jsonl] [--cfg '{"scanRecurrenceDays":14}']
 *
 * The store is copied first and never changed. Skips with a message when neither variable points at data. `--cfg` overrides
 * spatial.hotspots, e.g. '{"excludeChannels":["Employee Generated","City Worker App"]}': every rule and description then
 * counts the same orders as the stage. `--staff` names the channels the descriptions count as staff-logged.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gridDisk } from 'h3-js';
import { spatialConfig, type HotspotConfig } from '../src/spatial/config.js';
import { findHotspots, type HotspotRun } from '../src/spatial/hotspot-stage.js';
import { ALL } from '../src/spatial/hotspots.js';
import { configFrom } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { mulberry32 } from '../src/stats/random.js';
import { loadBoston } from './boston-store.js';
import { COUNTED, excluded, poissonFlags, type Flag } from './scan-rules.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const log = createLogger({ bench: 'scan-real' });
const RULES = ['scan', 'satscan100', 'satscan365', 'poisson', 'poisson001'] as const;
type Rule = (typeof RULES)[number];
/** A pair above its usual level again within this many nights continues its episode. */
const EPISODE_GAP = 28;

/** Open a copy of the store named by WEISU_SCAN_REAL_STORE, or ingest and place Boston 311 2015 from WEISU_REALDATA. */
async function openStore(dir: string): Promise<Store | null> {
  const given = process.env.WEISU_SCAN_REAL_STORE;
  if (given) {
    if (!existsSync(given)) return null;
    copyFileSync(given, join(dir, 'store.duckdb'));
    return Store.open(join(dir, 'store.duckdb'));
  }
  const root = process.env.WEISU_REALDATA;
  const path = root && join(root, 'boston311-2015', 'cartoDB_data');
  if (!path || !existsSync(path)) return null;
  const store = await Store.open(join(dir, 'store.duckdb'));
  await loadBoston(store, path, dir, log);
  return store;
}

/** The scan's flags of one night under each scan rule. */
function scanFlags(run: HotspotRun, cfg: HotspotConfig): Map<Rule, Flag[]> {
  const out = new Map<Rule, Flag[]>(RULES.map((r) => [r, []]));
  const study = new Set(run.cells);
  for (const [layer, s] of run.scans?.scans ?? []) {
    const cityP = run.scans!.cityP.get(layer)!;
    for (let i = 0; i < s.llr.length; i++) {
      if (!(s.llr[i] > 0)) continue;
      const cell = run.cells[i];
      const flag: Flag = {
        cell,
        layer,
        cells: s.ring[i] ? gridDisk(cell, 1).filter((c) => study.has(c)) : [cell],
        days: 7 * s.weeks[i],
        observed: s.observed[i],
        expected: s.expected[i],
        p: cityP[i],
      };
      if (cityP[i] <= 1 / cfg.scanRecurrenceDays) out.get('scan')!.push(flag);
      if (s.p[i] <= 1 / 100) out.get('satscan100')!.push({ ...flag, p: s.p[i] });
      if (s.p[i] <= 1 / 365) out.get('satscan365')!.push({ ...flag, p: s.p[i] });
    }
  }
  return out;
}

/** Channels of orders the city's own staff log (Boston 311: crews recording their work), `--staff` to change. */
const STAFF = opt('staff', 'Employee Generated,City Worker App,Maximo Integration').split(',');

/**
 * A first reading of an episode, for the docs' tally (a person reads the sample): `broad` when the window holds less
 * than 1.5 × its expected orders (a busy area a little above its share, nothing at one place); else `staff` when
 * staff channels logged at least half of them; else `one_place` when one address holds at least half, or one 小类
 * at least half on at most 3 days with orders; else `other` (read it).
 */
function kindOf(f: Flag, address: number, leaf: number, days: number, staff: number): string {
  if (f.observed < 1.5 * f.expected) return 'broad';
  if (staff >= 0.5) return 'staff';
  if (address >= 0.5 || (leaf >= 0.5 && days <= 3)) return 'one_place';
  return 'other';
}

/** What the orders behind a flag are: the top address, leaf, channel and day with their shares. */
async function describe(store: Store, cfg: HotspotConfig, f: Flag, asOf: string) {
  const top = async (col: string) =>
    (
      await store.all<{ v: string | null; n: number; total: number; distinct: number }>(
        `SELECT ${col} AS v, count(*)::INTEGER AS n, sum(count(*)) OVER ()::INTEGER AS total,
                count(*) OVER ()::INTEGER AS distinct
         FROM orders_placed
         WHERE list_contains(string_split($cells, ','), cell) AND ($layer = $all OR cat2 = $layer)
           AND created_at >= $a::DATE - $d::INTEGER AND created_at < $a::TIMESTAMP AND ${COUNTED}
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
        { cells: f.cells.join(','), layer: f.layer, all: ALL, a: asOf, d: f.days, ex: excluded(cfg) },
      )
    )[0];
  const [address, leaf, channel, day] = [
    await top('address'),
    await top('category'),
    await top('channel'),
    await top('created_at::DATE::VARCHAR'),
  ];
  const share = (t: typeof address) => (t ? `${t.v} (${t.n}/${t.total})` : null);
  const staffOrders = await store.value<number>(
    `SELECT count(*) FILTER (WHERE list_contains(string_split($staff, ','), channel))::INTEGER
     FROM orders_placed
     WHERE list_contains(string_split($cells, ','), cell) AND ($layer = $all OR cat2 = $layer)
       AND created_at >= $a::DATE - $d::INTEGER AND created_at < $a::TIMESTAMP AND ${COUNTED}`,
    {
      staff: STAFF.join(','),
      cells: f.cells.join(','),
      layer: f.layer,
      all: ALL,
      a: asOf,
      d: f.days,
      ex: excluded(cfg),
    },
  );
  const staff = staffOrders ?? 0;
  const total = address?.total ?? 0;
  const frac = (t: typeof address) => (t && total ? t.n / total : 0);
  return {
    kind: kindOf(f, frac(address), frac(leaf), day?.distinct ?? 0, total ? staff / total : 0),
    orders: total,
    staff_share: total ? Number((staff / total).toFixed(2)) : 0,
    top_address: share(address),
    addresses: address?.distinct ?? 0,
    top_leaf: share(leaf),
    top_channel: share(channel),
    top_day: share(day),
    days_with_orders: day?.distinct ?? 0,
  };
}

interface Episode {
  rule: Rule;
  as_of: string;
  week: number;
  cell: string;
  layer: string;
  observed: number;
  expected: number;
  p: number;
  window_days: number;
  ring: boolean;
}

/** Run every night, keep the new episodes of each rule (a pair not above its usual level in the 28 nights before). */
async function nights(store: Store, cfg: HotspotConfig, from: string, to: string, step: number) {
  const last = new Map<string, number>();
  const episodes: (Episode & { what?: Awaited<ReturnType<typeof describe>> })[] = [];
  const perNight: Record<Rule, number[]> = Object.fromEntries(RULES.map((r) => [r, []])) as never;
  let n = 0;
  // the first EPISODE_GAP nights only learn which pairs are already above their usual level: not new then
  for (let asOf = addDays(from, -EPISODE_GAP), k = -EPISODE_GAP; asOf < to; asOf = addDays(asOf, step), k += step) {
    const run = await findHotspots(store, asOf, cfg);
    const flags = scanFlags(run, cfg);
    const pf = await poissonFlags(store, run, cfg, asOf);
    flags.set('poisson', pf.bonf);
    flags.set('poisson001', pf.loose);
    for (const rule of RULES) {
      const fl = flags.get(rule)!;
      if (k >= 0) perNight[rule].push(fl.length);
      for (const f of fl) {
        const key = `${rule}|${f.cell}|${f.layer}`;
        const prev = last.get(key);
        last.set(key, k);
        if ((prev !== undefined && k - prev <= EPISODE_GAP) || k < 0) continue;
        const ep: Episode = {
          rule,
          as_of: asOf,
          week: Math.floor(k / 7),
          cell: f.cell,
          layer: f.layer,
          observed: f.observed,
          expected: Number(f.expected.toFixed(3)),
          p: Number(f.p.toPrecision(3)),
          window_days: f.days,
          ring: f.cells.length > 1,
        };
        const what = rule === 'scan' || rule === 'poisson' ? await describe(store, cfg, f, asOf) : undefined;
        episodes.push({ ...ep, what });
      }
    }
    if (k >= 0 && ++n % 30 === 0) log.info({ asOf, nights: n }, 'scan-real progress');
  }
  return { episodes, perNight, weeks: Math.ceil(n * step) / 7 };
}

/** Episodes of a and how many of them b also flags (same cell, any layer, within 7 nights either side). */
function overlap(eps: Episode[], a: Rule, b: Rule): { episodes: number; also: number } {
  const mine = eps.filter((e) => e.rule === a);
  const theirs = eps.filter((e) => e.rule === b);
  const near = (e: Episode, f: Episode) =>
    e.cell === f.cell && Math.abs(Date.parse(e.as_of) - Date.parse(f.as_of)) <= 7 * 86_400_000;
  return { episodes: mine.length, also: mine.filter((e) => theirs.some((f) => near(e, f))).length };
}

function summarise(eps: (Episode & { what?: { kind: string } })[], perNight: Record<Rule, number[]>, weeks: number) {
  const out: Record<string, unknown> = { weeks: Number(weeks.toFixed(1)) };
  for (const r of RULES) {
    const mine = eps.filter((e) => e.rule === r);
    const byWeek = new Map<number, number>();
    for (const e of mine) byWeek.set(e.week, (byWeek.get(e.week) ?? 0) + 1);
    const counts = Array.from({ length: Math.ceil(weeks) }, (_, w) => byWeek.get(w) ?? 0).sort((x, y) => x - y);
    const night = perNight[r];
    out[r] = {
      new_episodes: mine.length,
      per_week_mean: Number((mine.length / weeks).toFixed(2)),
      per_week_median: counts[Math.floor(counts.length / 2)],
      per_week_max: counts[counts.length - 1],
      all_categories_layer: mine.filter((e) => e.layer === ALL).length,
      rows_per_night_mean: Number((night.reduce((a, b) => a + b, 0) / night.length).toFixed(2)),
      kinds: mine.some((e) => e.what)
        ? mine.reduce<Record<string, number>>((a, e) => ((a[e.what!.kind] = (a[e.what!.kind] ?? 0) + 1), a), {})
        : undefined,
    };
  }
  out.overlap = {
    scan_also_poisson: overlap(eps, 'scan', 'poisson'),
    poisson_also_scan: overlap(eps, 'poisson', 'scan'),
    scan_also_satscan100: overlap(eps, 'scan', 'satscan100'),
  };
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weisu-scan-real-'));
  try {
    const store = await openStore(dir);
    if (!store) {
      console.log(
        'scan-real: skipped — set WEISU_SCAN_REAL_STORE to a loaded store or WEISU_REALDATA to the real data',
      );
      return;
    }
    const cfg = { ...spatialConfig(configFrom({})).hotspots, ...(JSON.parse(opt('cfg', '{}')) as object) };
    const first = await store.value<string>(
      'SELECT min(created_at)::DATE::VARCHAR FROM orders_placed WHERE cell IS NOT NULL',
    );
    const lastDay = await store.value<string>('SELECT max(created_at)::DATE::VARCHAR FROM orders_placed');
    if (!first || !lastDay) throw new Error('scan-real: the store holds no placed order with a cell');
    const from = opt('from', addDays(first, 56));
    const to = opt('to', addDays(lastDay, 1));
    const { episodes, perNight, weeks } = await nights(store, cfg, from, to, Number(opt('step', '1')));
    store.close();
    console.log(JSON.stringify({ from, to, config: cfg, summary: summarise(episodes, perNight, weeks) }));
    const out = opt('out', '');
    if (out) writeFileSync(out, episodes.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const rand = mulberry32(Number(opt('seed', '1')));
    for (const rule of ['scan', 'poisson'] as const) {
      const pool = episodes.filter((e) => e.rule === rule);
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      for (const e of pool.slice(0, Number(opt('sample', '30')))) console.log(JSON.stringify({ sample: rule, ...e }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
