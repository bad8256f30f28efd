/**
 * Exponential-smoothing forecasters that need no calendar: a damped-trend model on the log scale (the ETS/Theta
 * family that wins forecasting competitions on weekly counts) and a robust seasonal-index model (classical
 * multiplicative decomposition whose weekly indices are medians over past years, so a one-off burst is not copied
 * forward as the season).
 */

/** Damping of the trend: the trend's effect fades by this factor a week (ETS's phi). */
const PHI = 0.9;
const ALPHAS = [0.1, 0.3, 0.5, 0.8];
const BETAS = [0, 0.05];
/** Weeks fitted: recent enough to follow today's level. */
const MAX_FIT = 156;

/** Holt's damped trend on log(y + 1), parameters by least one-step-ahead squared error; mean forecasts for 1..h. */
export function dampedTrend(y: number[], h: number): number[] {
  const z = y.slice(-MAX_FIT).map((v) => Math.log(v + 1));
  const n = z.length;
  if (n < 4) {
    const m = z.reduce((a, b) => a + b, 0) / Math.max(1, n);
    return new Array<number>(h).fill(Math.max(0, Math.exp(m) - 1));
  }
  let best = { sse: Infinity, level: z[n - 1], trend: 0, resid: 0 };
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      let level = z[0];
      let trend = 0;
      let sse = 0;
      for (let i = 1; i < n; i++) {
        const f = level + PHI * trend;
        const e = z[i] - f;
        sse += e * e;
        const nl = f + alpha * e;
        trend = PHI * trend + beta * alpha * e;
        level = nl;
      }
      if (sse < best.sse) best = { sse, level, trend, resid: sse / (n - 1) };
    }
  }
  const out: number[] = [];
  let damp = 0;
  for (let k = 1; k <= h; k++) {
    damp += PHI ** k;
    // back from the log scale with half the one-step variance: the mean, not the median, of the count
    out.push(Math.max(0, Math.exp(best.level + damp * best.trend + best.resid / 2) - 1));
  }
  return out;
}

/** Weeks of a year: weekly indices repeat every 52 weeks (364 days; the drift of a day a year is left alone). */
const YEAR = 52;

/**
 * Robust seasonal-index forecast: each past year's week, relative to that year's centred 52-week mean, smoothed
 * over ±1 week, gives an index; the index of a week of the year is the median over the past years (at least two:
 * with one year a burst and a season look the same, so the index is pulled half-way to 1), clipped to 0.2–5. The
 * level is the deseasonalised mean of the last 8 weeks. Forecast = level × index of the target week.
 */
export function seasonalIndex(y: number[], h: number): number[] | null {
  const n = y.length;
  if (n < YEAR + 16) return null;
  const years = Math.min(4, Math.floor((n - 8) / YEAR));
  const index = (t: number): number => {
    const vals: number[] = [];
    for (let b = 1; b <= years; b++) {
      const i = t - YEAR * b;
      if (i - 1 < 0 || i + 1 >= n) continue;
      const lo = Math.max(0, i - 26);
      const hi = Math.min(n, lo + YEAR);
      let s = 0;
      for (let j = lo; j < hi; j++) s += y[j];
      const m = s / Math.max(1, hi - lo);
      if (m <= 0) continue;
      vals.push((y[i - 1] + 2 * y[i] + y[i + 1]) / (4 * m));
    }
    if (vals.length === 0) return 1;
    vals.sort((a, b) => a - b);
    let v = vals.length % 2 ? vals[(vals.length - 1) / 2] : (vals[vals.length / 2 - 1] + vals[vals.length / 2]) / 2;
    if (vals.length === 1) v = (v + 1) / 2;
    return Math.min(5, Math.max(0.2, v));
  };
  let num = 0;
  let den = 0;
  for (let i = n - 8; i < n; i++) {
    num += y[i];
    den += index(i);
  }
  const level = num / Math.max(den, 1e-9);
  return Array.from({ length: h }, (_, k) => level * index(n + k));
}
