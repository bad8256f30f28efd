/**
 * Candidates from the M4 competition's benchmarks and the log scale (round 5 of docs/forecast.md):
 * - comb_sa: M4's "Comb" done as its organisers did — a seasonality test (the autocorrelation at the season's lag
 *   against its 90 % limit), classical multiplicative decomposition when it passes, then the median of simple
 *   exponential smoothing, Holt's damped trend and Theta on the adjusted series, times the indices ahead;
 * - ets_log: ETS on log(y + 1) (additive errors), back on the count scale with the log variance's mean correction:
 *   a count series whose noise grows with its level is homoscedastic on the log scale.
 */
import { etsFit } from './ets.js';
import { thetaPath } from './smooth.js';

/** Weeks of a year (as in smooth.ts). */
const YEAR = 52;
/** Weeks the decomposition and the fits see: three years. */
const WINDOW = 156;

/**
 * M4's seasonality test: the autocorrelation at lag 52 exceeds 1.645 × its standard error under no seasonality,
 * sqrt((1 + 2 Σ_{k<52} r_k²) / n) (Bartlett). Needs three years.
 */
export function seasonalityTest(z: number[]): boolean {
  const n = z.length;
  if (n < 3 * YEAR) return false;
  const m = z.reduce((a, b) => a + b, 0) / n;
  let c0 = 0;
  for (const v of z) c0 += (v - m) ** 2;
  if (c0 <= 0) return false;
  const acf = (k: number) => {
    let c = 0;
    for (let i = k; i < n; i++) c += (z[i] - m) * (z[i - k] - m);
    return c / c0;
  };
  let s = 0;
  for (let k = 1; k < YEAR; k++) s += acf(k) ** 2;
  return Math.abs(acf(YEAR)) > 1.645 * Math.sqrt((1 + 2 * s) / n);
}

/**
 * Classical multiplicative decomposition of z: the ratio of each week to its centred 2×52 moving average, averaged
 * over the years per position of the year, normalised to mean 1 (clipped to 0.05–20). Index p belongs to the weeks
 * i with (i − z.length) mod 52 = p, so week k ahead (0-based) has index k mod 52.
 */
export function classicalIndices(z: number[]): number[] {
  const n = z.length;
  const sums = new Array<number>(YEAR).fill(0);
  const counts = new Array<number>(YEAR).fill(0);
  const half = YEAR / 2;
  for (let i = half; i + half < n; i++) {
    let ma = (z[i - half] + z[i + half]) / 2;
    for (let j = i - half + 1; j < i + half; j++) ma += z[j];
    ma /= YEAR;
    if (ma <= 0) continue;
    const p = (((i - n) % YEAR) + YEAR) % YEAR;
    sums[p] += z[i] / ma;
    counts[p]++;
  }
  const raw = sums.map((v, p) => (counts[p] ? v / counts[p] : 1));
  const mean = raw.reduce((a, b) => a + b, 0) / YEAR;
  return raw.map((v) => Math.min(20, Math.max(0.05, v / mean)));
}

const median3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));

/** M4's Comb on the (classically) seasonally adjusted last three years; null under 68 weeks. */
export function combSa(y: number[], h: number): number[] | null {
  const z = y.slice(-WINDOW);
  const n = z.length;
  if (n < YEAR + 16) return null;
  const idx = seasonalityTest(z) ? classicalIndices(z) : new Array<number>(YEAR).fill(1);
  const at = (i: number) => idx[(((i - n) % YEAR) + YEAR) % YEAR];
  const adj = z.map((v, i) => v / at(i));
  const ses = etsFit(adj, h, { etsForm: 0 })?.mean;
  const damped = etsFit(adj, h, { etsForm: 1 })?.mean;
  if (!ses || !damped) return null;
  const th = thetaPath(adj, h).path;
  return Array.from({ length: h }, (_, k) => Math.max(0, median3(ses[k], damped[k], th[k]) * at(n + k)));
}

/**
 * ETS (additive-error forms) on log(y + 1), back-transformed with half the one-step variance; null under 16 weeks.
 * Its log path is carried no higher than the window's highest week nor more than double its first week (the damped
 * trend's riseLimit): on the log scale a damped trend's total growth, trend·φ/(1 − φ), multiplies the level, and
 * a 4-week burst from near zero (… 4, 7, 17, 30, 35) fitted a trend of 0.5 a week at φ 0.98: ×2 every 1.5 weeks.
 */
export function etsLog(y: number[], h: number, warm?: { etsForm?: number }): number[] | null {
  const z = y.slice(-WINDOW).map((v) => Math.log(v + 1));
  const fit = etsFit(z, h, warm, true);
  if (!fit) return null;
  const top = Math.min(Math.max(...z), fit.mean[0] + Math.log(2));
  return fit.mean.map((v) => Math.max(0, Math.exp(Math.min(v, top) + fit.sigma2 / 2) - 1));
}
