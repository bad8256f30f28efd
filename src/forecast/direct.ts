import { Matrix, solve } from 'ml-matrix';

/** Weeks of a year (as in smooth.ts). */
const YEAR = 52;
/** Past years a week's seasonal growth is averaged over. */
const YEARS = 3;
/** Most recent origins a horizon's regression is trained on. */
const MAX_ROWS = 520;
/** Fewest training rows for a horizon's regression (else: no forecast). */
const MIN_ROWS = 40;
/** Ridge on the non-intercept columns (the columns are log-ratios of order 0.1–1). */
const RIDGE = 1;

/**
 * The regressors at week t, for horizon h, on z = log(y + 1): the last week's and the last 4 weeks' growth
 * (momentum), the distance of this week from its level of the past year (mean reversion), the growth the same weeks
 * took in past years (the season's course), and this week's distance from the same week of past years (how far the
 * season runs above or below its usual course). Null when a past year is missing.
 */
function features(z: number[], t: number, h: number): number[] | null {
  if (t - YEAR - 4 < 0) return null;
  let sg = 0,
    sd = 0,
    cnt = 0;
  for (let b = 1; b <= YEARS; b++) {
    const i = t - YEAR * b;
    if (i - 1 < 0) break;
    // ±1 week around the same week a year earlier, so one odd week does not set the course
    const past = (z[i - 1] + 2 * z[i] + z[Math.min(i + 1, t)]) / 4;
    const ahead = (z[i + h - 1] + 2 * z[i + h] + z[Math.min(i + h + 1, t)]) / 4;
    sg += ahead - past;
    sd += z[t] - past;
    cnt++;
  }
  if (cnt === 0) return null;
  let yearMean = 0;
  for (let i = t - YEAR + 1; i <= t; i++) yearMean += z[i];
  yearMean /= YEAR;
  return [1, z[t] - z[t - 1], (z[t] - z[t - 4]) / 4, z[t] - yearMean, sg / cnt, sd / cnt];
}

/**
 * Direct multi-horizon regression of the log growth: for each horizon h, z[t+h] − z[t] is regressed (least squares
 * with a small ridge, ml-matrix) on `features` over the series' past weeks, and applied at the last week. An
 * ARIMA-like model that learns from the series' own history how far momentum carries and how strongly a week
 * returns to its seasonal course — what neither a damped trend (no season) nor a seasonal naive (no momentum) does.
 * The forecast is the mean on the count scale (smearing: the mean of the exponentiated residuals). Null below
 * two years and a season of history.
 */
export function directForecast(y: number[], h: number): number[] | null {
  const z = y.map((v) => Math.log(v + 1));
  const n = z.length;
  if (n < 2 * YEAR + 16) return null;
  const out: number[] = [];
  for (let k = 1; k <= h; k++) {
    const xs: number[][] = [];
    const ts: number[] = [];
    for (let t = Math.max(YEAR + 4, n - 1 - k - MAX_ROWS); t + k <= n - 1; t++) {
      const f = features(z, t, k);
      if (!f) continue;
      xs.push(f);
      ts.push(z[t + k] - z[t]);
    }
    const now = features(z, n - 1, k);
    if (xs.length < MIN_ROWS || !now) return null;
    const beta = ridgeSolve(xs, ts);
    let smear = 0;
    for (let i = 0; i < xs.length; i++) smear += Math.exp(ts[i] - dot(beta, xs[i]));
    smear /= xs.length;
    out.push(Math.max(0, Math.exp(z[n - 1] + dot(beta, now)) * Math.min(smear, 2) - 1));
  }
  return out;
}

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** (XᵀX + λI')⁻¹ Xᵀy, the intercept unpenalised; the normal equations summed in typed arrays, solved by ml-matrix. */
export function ridgeSolve(x: number[][], y: number[], ridge = RIDGE): number[] {
  const p = x[0].length;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < x.length; i++) {
    const r = x[i];
    for (let j = 0; j < p; j++) {
      b[j] += r[j] * y[i];
      for (let k = j; k < p; k++) a[j * p + k] += r[j] * r[k];
    }
  }
  const A = new Matrix(p, p);
  for (let j = 0; j < p; j++)
    for (let k = j; k < p; k++) {
      const v = a[j * p + k] + (j === k && j > 0 ? ridge : 0);
      A.set(j, k, v);
      A.set(k, j, v);
    }
  return solve(A, Matrix.columnVector(Array.from(b))).getColumn(0);
}
