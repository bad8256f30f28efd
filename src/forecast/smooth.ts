/**
 * Exponential-smoothing forecasters that need no calendar: a damped-trend model on the log scale (the ETS/Theta
 * family that wins forecasting competitions on weekly counts) and a robust seasonal-index model (classical
 * multiplicative decomposition whose weekly indices are medians over past years, so a one-off burst is not copied
 * forward as the season).
 */
import { median } from '../stats/median.js';

/** The grid searched: level smoothing, trend smoothing (share of alpha), damping of the trend a week (ETS's phi). */
const ALPHAS = [0.1, 0.25, 0.4, 0.6, 0.8, 1];
const BETAS = [0, 0.1, 0.3];
const PHIS = [0.8, 0.9, 0.98];
/** Weeks fitted: recent enough to follow today's level. */
const MAX_FIT = 156;

/** Holt's damped trend on log(y + 1), parameters by least one-step-ahead squared error; mean forecasts for 1..h. */
export function dampedTrend(y: number[], h: number): number[] {
  return dampedTrendFit(y, h).mean;
}

/**
 * The damped-trend forecast with the model's own spread: `dispersion[k]` is the relative variance of the count k+1
 * weeks ahead, exp(v) − 1 for the log-scale variance v = σ²(1 + Σ_{j<k} c_j²), c_j = α(1 + β(φ + … + φ^j)) (the
 * damped-trend state-space model's h-step variance, Hyndman et al. 2008).
 */
export function dampedTrendFit(y: number[], h: number): { mean: number[]; dispersion: number[] } {
  const z = y.slice(-MAX_FIT).map((v) => Math.log(v + 1));
  const n = z.length;
  if (n < 4) {
    const m = z.reduce((a, b) => a + b, 0) / Math.max(1, n);
    return { mean: new Array<number>(h).fill(Math.max(0, Math.exp(m) - 1)), dispersion: new Array<number>(h).fill(0) };
  }
  const best = fitHolt(z);
  // a window whose first and last thirds have the same median week shows no trend: none is carried forward
  const trend = resistantSlope(z) === 0 ? 0 : best.trend;
  const phi = boundedPhi(best.phi, trend, riseLimit(z, best.level));
  const mean: number[] = [];
  const dispersion: number[] = [];
  let damp = 0;
  let cum = 1;
  let phiSum = 0;
  for (let k = 1; k <= h; k++) {
    damp += phi ** k;
    const v = best.resid * cum;
    // back from the log scale with half the one-step variance (the wider h-step one overshot on real series)
    mean.push(Math.max(0, Math.exp(best.level + damp * trend + best.resid / 2) - 1));
    dispersion.push(Math.expm1(v));
    phiSum += phi ** k;
    cum += (best.alpha * (1 + best.beta * phiSum)) ** 2;
  }
  return { mean, dispersion };
}

/**
 * Tukey's resistant slope of z: the median of its last third minus the median of its first third, over the weeks
 * between their centres. A burst shorter than half a third of the window moves neither median, so it has no slope.
 */
export function resistantSlope(z: number[]): number {
  const n = z.length;
  const k = Math.floor(n / 3);
  if (k < 2) return 0;
  return (median(z.slice(n - k)) - median(z.slice(0, k))) / (n - k);
}

/** Total log-growth the damped trend may add over any horizon: log 2 (never more than double or half the level). */
const MAX_TOTAL_TREND = Math.log(2);

/**
 * The damping carried forward: at most the φ whose total added trend, trend·φ/(1 − φ), is log 2 down and
 * `riseLimit` up — the forecast never more than doubles (or halves) the last level, nor rises past the window's
 * highest week, however steep the last weeks; the first weeks keep most of the momentum.
 */
function boundedPhi(phi: number, trend: number, riseLimit: number): number {
  const t = Math.abs(trend);
  const limit = trend > 0 ? riseLimit : MAX_TOTAL_TREND;
  return t > 0 ? Math.min(phi, limit / (t + limit)) : phi;
}

/**
 * The total log-growth an upward trend may add: up to the window's highest week, never more than log 2. A rise to a
 * level the window never saw is not carried past it: a small board's 1, 0, 1, … 7, 17, 30, 35 had its burst carried
 * on to 73 (the resistant slope of its thirds, 0 → 1, did not stop it); a seasonal rise below last season's peak
 * keeps its momentum. Capping every trend at the resistant slope instead flattened seasonal series (docs/forecast.md, damped).
 */
export function riseLimit(z: number[], level: number): number {
  return Math.min(MAX_TOTAL_TREND, Math.max(0, Math.max(...z) - level));
}

/**
 * How far above the highest week of the fitting window (the last MAX_FIT weeks) any forecast may go: one rule for
 * every model's path, the blend and a level-shifted forecast (models.ts), as riseLimit is for the damped trend's
 * trend. A model that carries a short burst on (ETS on log counts: its trend times φ/(1 − φ) at φ = 0.98) forecast
 * the burst doubling every 1.5 weeks; the window's own highest week is what the series has shown it can reach. The
 * quarter above it is room for the log models' mean correction (the damped trend's own forecast of such a burst is
 * 1.1 × its top) and for a season a little higher than the last three years'; on the real series' origins it never
 * bound (docs/forecast.md, round 6).
 */
export const RISE_ROOM = 1.25;

/** The highest forecast any model may give for a week of y: RISE_ROOM × the highest week of its last MAX_FIT. */
export function forecastCap(y: number[]): number {
  let top = 0;
  for (let i = Math.max(0, y.length - MAX_FIT); i < y.length; i++) top = Math.max(top, y[i]);
  return RISE_ROOM * top;
}

/** The grid's best damped-trend fit of z: final level and trend, its phi and one-step residual variance. */
function fitHolt(z: number[]): {
  level: number;
  trend: number;
  phi: number;
  alpha: number;
  beta: number;
  resid: number;
} {
  const n = z.length;
  let best = { sse: Infinity, level: z[n - 1], trend: 0, phi: 0.9, alpha: 1, beta: 0, resid: 0 };
  for (const phi of PHIS) {
    for (const alpha of ALPHAS) {
      for (const beta of BETAS) {
        let level = z[0];
        let trend = 0;
        let sse = 0;
        for (let i = 1; i < n && sse < best.sse; i++) {
          const f = level + phi * trend;
          const e = z[i] - f;
          sse += e * e;
          level = f + alpha * e;
          trend = phi * trend + beta * alpha * e;
        }
        if (sse < best.sse) best = { sse, level, trend, phi, alpha, beta, resid: sse / (n - 1) };
      }
    }
  }
  return best;
}

/** Weeks of a year: weekly indices repeat every 52 weeks (364 days; the drift of a day a year is left alone). */
const YEAR = 52;

/**
 * Robust seasonal index of week t of y: each past year's week, relative to that year's centred 52-week mean and
 * smoothed over ±1 week, is one value; the index is their median over three or more years, the one nearer 1 of two
 * (a wave counts only when it recurs), and a lone year's value pulled half-way to 1 (once, a burst and a season look
 * the same); clipped to 0.2–5.
 */
function seasonalIndexer(y: number[]): (t: number) => number {
  const n = y.length;
  const years = Math.min(4, Math.floor((n - 8) / YEAR));
  // centred yearly means, by prefix sums
  const prefix = new Array<number>(n + 1).fill(0);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + y[i];
  return (t: number): number => {
    const vals: number[] = [];
    for (let b = 1; b <= years; b++) {
      const i = t - YEAR * b;
      if (i - 1 < 0 || i + 1 >= n) continue;
      const lo = Math.max(0, Math.min(i - 26, n - YEAR));
      const hi = Math.min(n, lo + YEAR);
      const m = (prefix[hi] - prefix[lo]) / Math.max(1, hi - lo);
      if (m <= 0) continue;
      vals.push((y[i - 1] + 2 * y[i] + y[i + 1]) / (4 * m));
    }
    if (vals.length === 0) return 1;
    vals.sort((a, b) => a - b);
    let v: number;
    if (vals.length === 1) v = (vals[0] + 1) / 2;
    // two years: the one nearer 1 (a wave must be in both to count; the median of two would copy half a burst)
    else if (vals.length === 2) v = Math.abs(Math.log(vals[0])) <= Math.abs(Math.log(vals[1])) ? vals[0] : vals[1];
    else v = median(vals);
    return Math.min(5, Math.max(0.2, v));
  };
}

/** Robust seasonal indices × today's level (the deseasonalised mean of the last 8 weeks). */
export function seasonalIndex(y: number[], h: number): number[] | null {
  const n = y.length;
  if (n < YEAR + 16) return null;
  const index = seasonalIndexer(y);
  let num = 0;
  let den = 0;
  for (let i = n - 8; i < n; i++) {
    num += y[i];
    den += index(i);
  }
  const level = num / Math.max(den, 1e-9);
  return Array.from({ length: h }, (_, k) => level * index(n + k));
}

/**
 * Seasonal adjustment then damped trend (what R's stlf does with STL and ETS): the last three years divided by
 * their robust seasonal indices, a damped-trend fit on the adjusted series, and its forecast times the indices of
 * the weeks ahead.
 */
export function seasonalDamped(y: number[], h: number): number[] | null {
  return seasonallyAdjusted(y, h, dampedTrend);
}

/**
 * A non-seasonal method fitted on the last three years divided by their robust seasonal indices, its forecast times
 * the indices of the weeks ahead; null under a year and 16 weeks (too short for the indices).
 */
function seasonallyAdjusted(y: number[], h: number, fit: (adjusted: number[], h: number) => number[]): number[] | null {
  const n = y.length;
  if (n < YEAR + 16) return null;
  const index = seasonalIndexer(y);
  const from = Math.max(0, n - MAX_FIT);
  const adjusted: number[] = [];
  for (let i = from; i < n; i++) adjusted.push(y[i] / index(i));
  return fit(adjusted, h).map((v, k) => v * index(n + k));
}

/** Level smoothing weights tried for the Theta method's simple exponential smoothing. */
const THETA_ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1];

/**
 * Hyndman & Billah's (2003) form of the Theta method on `z` as given (at least 2 points): simple exponential smoothing
 * plus a drift of half the least-squares slope, ŷ(h) = ℓ + (b/2)(h − 1 + 1/α − (1 − α)^n / α), α by least one-step
 * squared error. `path` is on z's scale; `resid` is the one-step mean squared error.
 */
export function thetaPath(z: number[], h: number): { path: number[]; resid: number } {
  const n = z.length;
  const tMean = (n - 1) / 2;
  const zMean = z.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - tMean) * (z[i] - zMean);
    sxx += (i - tMean) ** 2;
  }
  const slope = sxy / sxx;
  let best = { sse: Infinity, level: z[n - 1], alpha: 1, resid: 0 };
  for (const alpha of THETA_ALPHAS) {
    let level = z[0];
    let sse = 0;
    for (let i = 1; i < n; i++) {
      const e = z[i] - level;
      sse += e * e;
      level += alpha * e;
    }
    if (sse < best.sse) best = { sse, level, alpha, resid: sse / (n - 1) };
  }
  const a = best.alpha;
  const drift = (k: number) => (slope / 2) * (k - 1 + 1 / a - (1 - a) ** n / a);
  return { path: Array.from({ length: h }, (_, j) => best.level + drift(j + 1)), resid: best.resid };
}

/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000; the M3 winner) on log(y + 1) (thetaPath), back-transformed
 * with half the one-step variance.
 */
export function theta(y: number[], h: number): number[] {
  const z = y.slice(-MAX_FIT).map((v) => Math.log(v + 1));
  if (z.length < 4) return new Array<number>(h).fill(Math.max(0, y[y.length - 1] ?? 0));
  const { path, resid } = thetaPath(z, h);
  return path.map((v) => Math.max(0, Math.exp(v + resid / 2) - 1));
}

/** Theta on the series divided by its robust seasonal indices, times the indices of the weeks ahead. */
export function seasonalTheta(y: number[], h: number): number[] | null {
  return seasonallyAdjusted(y, h, theta);
}
