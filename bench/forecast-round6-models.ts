/**
 * Round 6's candidate models (docs/forecast.md, round 6), measured by bench/forecast-round6.ts and not in the
 * engine: none improved the development origins' figure beyond noise. Kept here, tested
 * (test/forecast/round6-models.test.ts), so the measurement can be repeated.
 * - globalForecasts: one regression per horizon over every series of a store (M5's winners; Montero-Manso &
 *   Hyndman 2021, "locality and globality");
 * - baggedEts: bagged ETS (Bergmeir, Hyndman & Benítez 2016);
 * - mapaEts: ETS over temporal aggregates (MAPA, Kourentzes et al. 2014).
 */
import { dot, ridgeSolve } from '../src/forecast/direct.js';
import { etsForecast } from '../src/forecast/ets.js';
import { seasonalityTest } from '../src/forecast/comb.js';
import { mulberry32 } from '../src/stats/random.js';
import { median } from '../src/stats/median.js';

const YEAR = 52;
/**
 * The global model: the log growth z[t+k] − z[t] of z = log(y + 1) on each series' recent growth, its distance from
 * its own level, and the course its past years took over the same weeks (52 weeks before, with the ±1-week
 * neighbours). The regressors are scale-free, so a category of 5 a week and one of 5,000 train the same model; a
 * series with too few years for its own regression (direct.ts needs 120 weeks) borrows the store's.
 */
/** Past years a week's seasonal course is read from. */
const YEARS = 3;
/** Latest origins per series a horizon's regression is trained on (three years). */
const MAX_ROWS = 156;
/** Fewest training rows over the store (else: no forecast). */
const MIN_ROWS = 60;
/** Ridge on the non-intercept columns: pooled rows are many, the penalty only steadies collinear lags. */
const RIDGE = 2;

/**
 * The regressors at week t for horizon k: growth over the last 1, 2 and 4 weeks, the distance from the last
 * 8 weeks' and the last year's mean, last year's growth over the same weeks (±1-week neighbours) and its mean over
 * up to 3 years, and how far this week runs from its usual course. Null before a year and a month of history.
 */
export function globalFeatures(z: number[], t: number, k: number): number[] | null {
  if (t - YEAR - 1 < 0) return null;
  const course: number[] = [];
  let sd = 0;
  for (let b = 1; b <= YEARS; b++) {
    const i = t - YEAR * b;
    if (i - 1 < 0) break;
    const past = (z[i - 1] + 2 * z[i] + z[i + 1]) / 4;
    const ahead = (z[i + k - 1] + 2 * z[i + k] + z[Math.min(i + k + 1, t)]) / 4;
    course.push(ahead - past);
    sd += z[t] - past;
  }
  let m8 = 0;
  for (let i = t - 7; i <= t; i++) m8 += z[i];
  let my = 0;
  for (let i = t - YEAR + 1; i <= t; i++) my += z[i];
  const cnt = course.length;
  return [
    1,
    z[t] - z[t - 1],
    z[t] - z[t - 2],
    (z[t] - z[t - 4]) / 4,
    z[t] - m8 / 8,
    z[t] - my / YEAR,
    course[0],
    course.reduce((a, b) => a + b, 0) / cnt,
    sd / cnt,
  ];
}

/**
 * Forecasts of every series of a store, h weeks past the week `cut` weeks before their common end (cut 0: the
 * end; a backtest origin: its distance from the end). One ridge regression per horizon over all series' past
 * origins whose target week lies before that origin; the forecast is the median on the count scale (exp of the
 * fitted log growth, no smearing: the absolute error the backtest scores is smallest at the median). Null for a
 * series without a year and a month of history before the origin, or for every series when the store has fewer
 * than MIN_ROWS training rows.
 */
export interface GlobalOptions {
  ridge?: number;
  maxRows?: number;
  smear?: boolean;
  drop?: number[];
}

export function globalForecasts(
  series: number[][],
  cut: number,
  h: number,
  opt: GlobalOptions = {},
): Array<number[] | null> {
  const maxRows = opt.maxRows ?? MAX_ROWS;
  const feat = (z: number[], t: number, k: number): number[] | null => {
    const f = globalFeatures(z, t, k);
    return f && opt.drop ? f.filter((_, i) => !opt.drop!.includes(i)) : f;
  };
  const zs = series.map((y) => y.slice(0, Math.max(0, y.length - cut)).map((v) => Math.log(Math.max(0, v) + 1)));
  const out: Array<number[] | null> = zs.map((z) => (globalFeatures(z, z.length - 1, 1) ? [] : null));
  for (let k = 1; k <= h; k++) {
    const xs: number[][] = [];
    const ts: number[] = [];
    for (const z of zs) {
      const n = z.length;
      for (let t = Math.max(YEAR + 1, n - 1 - k - maxRows); t + k <= n - 1; t++) {
        const f = feat(z, t, k);
        if (!f) continue;
        xs.push(f);
        ts.push(z[t + k] - z[t]);
      }
    }
    if (xs.length < MIN_ROWS) return zs.map(() => null);
    const beta = ridgeSolve(xs, ts, opt.ridge ?? RIDGE);
    let smear = 0;
    for (let i = 0; i < xs.length; i++) smear += Math.exp(ts[i] - dot(beta, xs[i]));
    smear = opt.smear ? Math.min(2, smear / xs.length) : 1;
    zs.forEach((z, i) => {
      const f = out[i] && feat(z, z.length - 1, k);
      if (f) out[i]!.push(Math.max(0, Math.exp(z[z.length - 1] + dot(beta, f)) * smear - 1));
    });
  }
  return out;
}

/**
 * Bagged ETS: the last three years on the log scale split into trend, season (when M4's seasonality test passes)
 * and remainder; the remainder resampled in moving blocks, each resampled series put back together on the count
 * scale, ETS fitted to each, the forecast the median of those fits and the original's. The split is classical (a
 * centred moving average for the trend), not STL.
 */
const WINDOW = 156;

export interface BagOptions {
  /** Resampled series. */
  b?: number;
  /** Weeks per block. */
  block?: number;
  /** Half the trend's moving-average window, in weeks. */
  half?: number;
  seed?: number;
}

/** Centred moving average of 2·half + 1 weeks, the window shrinking symmetrically at the ends. */
function movingAverage(z: number[], half: number): number[] {
  const n = z.length;
  return z.map((_, i) => {
    const r = Math.min(half, i, n - 1 - i);
    let s = 0;
    for (let j = i - r; j <= i + r; j++) s += z[j];
    return s / (2 * r + 1);
  });
}

/** Additive seasonal terms on the log scale per week of the window (zeros when the series fails the test). */
function seasonalTerms(z: number[], trend: number[]): number[] {
  const n = z.length;
  if (!seasonalityTest(z)) return new Array<number>(n).fill(0);
  const sums = new Array<number>(YEAR).fill(0);
  const counts = new Array<number>(YEAR).fill(0);
  for (let i = 0; i < n; i++) {
    const p = (((i - n) % YEAR) + YEAR) % YEAR;
    sums[p] += z[i] - trend[i];
    counts[p]++;
  }
  const raw = sums.map((v, p) => (counts[p] ? v / counts[p] : 0));
  const mean = raw.reduce((a, b) => a + b, 0) / YEAR;
  return z.map((_, i) => raw[(((i - n) % YEAR) + YEAR) % YEAR] - mean);
}

/** Moving-block bootstrap of r: blocks of `block` weeks at random starts, laid end to end from a random offset. */
function blockBootstrap(r: number[], block: number, rand: () => number): number[] {
  const n = r.length;
  const l = Math.min(block, n);
  const out: number[] = [];
  while (out.length < n + l) {
    const s = Math.floor(rand() * (n - l + 1));
    for (let j = 0; j < l; j++) out.push(r[s + j]);
  }
  const off = Math.floor(rand() * l);
  return out.slice(off, off + n);
}

/** Bagged ETS forecasts 1..h (null when ETS cannot fit the series). */
export function baggedEts(y: number[], h: number, opt: BagOptions = {}, warm?: { etsForm?: number }): number[] | null {
  const w = y.slice(-WINDOW).map((v) => Math.max(0, v));
  const own = etsForecast(w, h, warm);
  if (!own) return null;
  const z = w.map((v) => Math.log(v + 1));
  let trend = movingAverage(z, opt.half ?? 6);
  const season = seasonalTerms(z, trend);
  trend = movingAverage(
    z.map((v, i) => v - season[i]),
    opt.half ?? 6,
  );
  const rem = z.map((v, i) => v - trend[i] - season[i]);
  const rand = mulberry32(opt.seed ?? w.length);
  const fits: number[][] = [own];
  const form = { etsForm: warm?.etsForm };
  for (let b = 0; b < (opt.b ?? 10); b++) {
    const r = blockBootstrap(rem, opt.block ?? 8, rand);
    const f = etsForecast(
      z.map((_, i) => Math.max(0, Math.exp(trend[i] + season[i] + r[i]) - 1)),
      h,
      form,
    );
    if (f) fits.push(f);
  }
  return Array.from({ length: h }, (_, k) => median(fits.map((f) => f[k])));
}

/**
 * Temporal aggregation (MAPA, Kourentzes et al. 2014; THieF, Athanasopoulos et al. 2017): ETS on the series summed
 * over blocks of 1, 2 and 4 weeks counted back from the origin, each block's forecast spread evenly over its weeks,
 * the three averaged.
 */
export function mapaEts(y: number[], h: number, levels = [1, 2, 4]): number[] | null {
  const fs: number[][] = [];
  for (const k of levels) {
    const m = Math.floor(y.length / k);
    const agg = Array.from({ length: m }, (_, b) => {
      let t = 0;
      for (let j = 0; j < k; j++) t += y[y.length - (m - b) * k + j];
      return t;
    });
    const f = etsForecast(agg, Math.ceil(h / k));
    if (f) fs.push(Array.from({ length: h }, (_, j) => f[Math.floor(j / k)] / k));
  }
  if (!fs.length) return null;
  return Array.from({ length: h }, (_, j) => fs.reduce((a, f) => a + f[j], 0) / fs.length);
}
