/**
 * node --import tsx bench/alerts-calibration.ts — how honest spike's p-values are on quiet series, by expected count
 * (docs/detect.md, fifth round). At BENCH_N weekly as-ofs (every 4 weeks back from the truth's end, less
 * BENCH_SHIFT weeks) every series with a baseline is tested down to BENCH_MIN_EXPECTED orders a week (the stage's
 * volume gate, minExpectedWeek, is 2); a series related to any planted event at any time is left out. For each band
 * of expected count it prints the share of series-weeks that pass spike's effect-size gates (ratio, excess) with a
 * p-value at or below each level, for three tails of the same count:
 * - weisu: the stage's p (quasi-Poisson, the baseline's uncertainty, referred to Student's t for the dispersion);
 * - no t: the same without the Student's t step (the dispersion treated as known);
 * - Poisson: the exact Poisson tail at weisu's expectation (no dispersion, no uncertainty in the mean);
 * and a two-week test (the last two weeks' sum against twice the expectation, both weeks above it, p doubled for
 * looking at one and two weeks), the CUSUM-like test one might add for series of 1–2 orders a week.
 * A level's nominal share is the level itself; a share well above it means alarms the level does not control.
 *
 * Env: BENCH_DB (a demo store, read-only), BENCH_CITY (its generated city folder, for truth.json), BENCH_N (10),
 * BENCH_SHIFT (0), BENCH_MIN_EXPECTED (0.3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../src/store/db.js';
import { configFrom } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { detectConfig, type DetectConfig } from '../src/detect/config.js';
import { dispersionFloors } from '../src/detect/compute.js';
import { baselines } from '../src/detect/kinds.js';
import { loadFrame, type Series } from '../src/detect/series.js';
import { Relations, eventCategory } from '../src/detect/backtest.js';
import { estimatedDispersionP, poissonUpper, quasiPoissonUpper } from '../src/detect/stats.js';
import type { Truth } from '../src/synth/truth.js';

const LEVELS = [0.009, 0.003, 0.0009, 0.0003, 0.0001];
const BANDS: [number, number][] = [
  [0, 0.5],
  [0.5, 1],
  [1, 1.5],
  [1.5, 2],
  [2, 3],
  [3, 5],
  [5, 10],
  [10, Infinity],
];
const TAILS = ['weisu', 'no t', 'Poisson', 'two weeks'] as const;
type Tail = (typeof TAILS)[number];

/** Per band: series-weeks, and per tail and level the series-weeks at or below it. */
interface Band {
  n: number;
  hits: Record<Tail, number[]>;
}

/** The four p-values of one series' current week (1 where the effect-size gates fail). */
function tails(s: Series, mu: number, phi: number, df: number, cfg: DetectConfig): Record<Tail, number> {
  const y = s.y[0];
  const material = (o: number, e: number) => o / e >= cfg.minRatio.spike && o - e >= cfg.minExcess;
  const known = material(y, mu) ? quasiPoissonUpper(y, mu, phi) : 1;
  const two = s.y[0] + s.y[1];
  const twoMaterial = s.y[0] > mu && s.y[1] > mu && material(two, 2 * mu);
  return {
    weisu: estimatedDispersionP(known, df),
    'no t': known,
    Poisson: material(y, mu) ? poissonUpper(y, mu) : 1,
    'two weeks': twoMaterial ? Math.min(1, 2 * estimatedDispersionP(quasiPoissonUpper(two, 2 * mu, phi), df)) : 1,
  };
}

async function main(): Promise<void> {
  const city = process.env.BENCH_CITY;
  const db = process.env.BENCH_DB;
  if (!city || !db) {
    console.error('set BENCH_DB (a demo store) and BENCH_CITY (its city folder with truth.json)');
    process.exit(2);
  }
  const truth = JSON.parse(readFileSync(join(city, 'truth.json'), 'utf8')) as Truth;
  const minExpected = Number(process.env.BENCH_MIN_EXPECTED ?? 0.3);
  const cfg = detectConfig(configFrom({ detect: { minExpectedWeek: minExpected } }));
  const store = await Store.open(db, { readOnly: true });
  const rel = await Relations.load(store, truth.city);
  const bands: Band[] = BANDS.map(() => ({ n: 0, hits: { weisu: [], 'no t': [], Poisson: [], 'two weeks': [] } }));
  for (const b of bands) for (const t of TAILS) b.hits[t] = LEVELS.map(() => 0);
  const related = (s: Series) =>
    truth.events.some(
      (e) =>
        rel.categoryRelated(s.category, eventCategory(e)) &&
        rel.scopeRelated({ level: s.scopeLevel, name: s.scopeName, district: s.district }, rel.eventScope(e)),
    );
  const end = addDays(truth.end, -1 - 7 * Number(process.env.BENCH_SHIFT ?? 0));
  for (let i = 0; i < Number(process.env.BENCH_N ?? 10); i++) {
    const frame = await loadFrame(store, addDays(end, -28 * i), truth.city, cfg);
    const floor = dispersionFloors(frame);
    for (const s of frame.series) {
      const b0 = baselines(s, frame, floor[s.scopeLevel], cfg.baselineTrend)[0];
      if (!b0 || b0.mu < minExpected || related(s)) continue;
      const band = bands[BANDS.findIndex(([lo, hi]) => b0.mu >= lo && b0.mu < hi)];
      band.n++;
      const p = tails(s, b0.mu, b0.phi * (1 + b0.mu / b0.base), b0.phiDf, cfg);
      for (const t of TAILS) LEVELS.forEach((a, j) => (band.hits[t][j] += p[t] <= a ? 1 : 0));
    }
    console.error(`  as-of ${frame.asOf}: ${frame.series.length} series`);
  }
  store.close();
  console.log(`quiet series-weeks passing spike's gates at p ≤ ${LEVELS.join(' / ')} (% of the band's series-weeks)`);
  for (const [i, [lo, hi]] of BANDS.entries()) {
    const b = bands[i];
    const pct = (t: Tail) => b.hits[t].map((h) => ((100 * h) / Math.max(1, b.n)).toFixed(3)).join(' / ');
    console.log(
      `  expected ${lo}–${hi} a week, ${b.n} series-weeks: ${TAILS.map((t) => `${t} ${pct(t)}`).join(' | ')}`,
    );
  }
}

await main();
