/**
 * Expected count of one series in one week, Farrington style: the same week ±3 of each earlier year (up to 3),
 * as a share of the hotline's whole volume in those weeks, times the whole volume of the target week. Using the
 * total volume as exposure carries the hotline's growth, holidays and the Spring Festival dip; using the same
 * weeks of earlier years carries the category's own season. Past outbreaks in the baseline are downweighted
 * (Farrington's Anscombe-residual reweighting) so last year's event does not hide this year's.
 * Without a full earlier year, the 12 weeks before a 4-week guard stand in (no seasonal adjustment then).
 */
export interface Baseline {
  /** Expected count in the target week. */
  mu: number;
  /** Quasi-Poisson dispersion (≥ 1) of the baseline points around their fit. */
  phi: number;
  /** Sum of fitted means over the baseline points: the information behind mu (its variance is mu²·phi/base). */
  base: number;
  /**
   * Degrees of freedom behind phi: the series' own points less one when its own estimate is used, Infinity when the
   * floor shared by its peers (many series) is.
   */
  phiDf: number;
  /** True when same weeks of earlier years were used. */
  seasonal: boolean;
  points: number;
}

const YEARS = 3;
const HALF_WINDOW = 3;

/** A log-linear fit of the category's share: log(mu_i / total_i) = a + b·x_i, x in years before the target week. */
interface ShareFit {
  a: number;
  b: number;
  /** x'(X'WX)⁻¹x at the target (x = 0) over phi: 1 / this is the information behind the expectation. */
  v0: number;
}

/**
 * Weighted Poisson regression of y on x with log(total) as offset (a few IRLS steps from the flat fit). With
 * `trend` false the slope is held at 0, which is the flat share rate of earlier rounds.
 */
function fitShare(
  y: Float64Array,
  total: Float64Array,
  ws: number[],
  x: Float64Array,
  weight: Float64Array,
  trend: boolean,
): ShareFit & { seB: number } {
  const n = ws.length;
  let sy = 0;
  let st = 0;
  for (let i = 0; i < n; i++) {
    sy += weight[i] * y[ws[i]];
    st += weight[i] * total[ws[i]];
  }
  // half an order of pseudo-count keeps an all-zero baseline from expecting exactly zero
  let a = Math.log((sy + 0.5) / st);
  let b = 0;
  if (!trend) return { a, b, v0: 1 / (st * Math.exp(a)), seB: Infinity };
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let iter = 0; iter < 6; iter++) {
    let g0 = 0;
    let g1 = 0;
    s0 = s1 = s2 = 0;
    for (let i = 0; i < n; i++) {
      const mu = total[ws[i]] * Math.exp(a + b * x[i]);
      const w = weight[i] * mu;
      const r = weight[i] * (y[ws[i]] + 0.5 / n - mu);
      g0 += r;
      g1 += r * x[i];
      s0 += w;
      s1 += w * x[i];
      s2 += w * x[i] * x[i];
    }
    const det = s0 * s2 - s1 * s1;
    if (!(det > 0)) return { a, b: 0, v0: 1 / s0, seB: Infinity };
    a += (s2 * g0 - s1 * g1) / det;
    b += (s0 * g1 - s1 * g0) / det;
  }
  const det = s0 * s2 - s1 * s1;
  return { a, b, v0: s2 / det, seB: Math.sqrt(s0 / det) };
}

/**
 * The trend is kept only when it is significant (|b| > 2 se, se scaled by the dispersion) and the share it
 * predicts for the target week is no larger than the largest share seen in the baseline (Farrington's rule: a
 * trend that extrapolates beyond the data is not trusted).
 */
function keepTrend(fit: ShareFit & { seB: number }, phi: number, maxShare: number): boolean {
  if (!Number.isFinite(fit.seB) || fit.b === 0) return false;
  return Math.abs(fit.b) > 3 * fit.seB * Math.sqrt(phi) && Math.exp(fit.a) <= maxShare;
}

/**
 * phiFloor: the dispersion shared by series of the same scope level (median of their own estimates). Twenty-one
 * points estimate a dispersion poorly, and the outbreak reweighting biases it low, so a series is never judged
 * less dispersed than its peers. trend: fit a log-linear drift of the share over the earlier years (see keepTrend),
 * so a share that has drifted for years is expected to keep drifting, and only a rise above the drift alarms.
 */
export function baselineAt(
  y: Float64Array,
  total: Float64Array,
  maxW: number,
  t: number,
  phiFloor = 1,
  trend = false,
): Baseline | null {
  const ws: number[] = [];
  for (let k = 1; k <= YEARS; k++) {
    for (let j = -HALF_WINDOW; j <= HALF_WINDOW; j++) {
      const w = t + 52 * k + j;
      if (w <= maxW && total[w] > 0) ws.push(w);
    }
  }
  const seasonal = ws.length >= 2 * HALF_WINDOW + 1;
  if (!seasonal) {
    ws.length = 0;
    for (let w = t + 4; w < t + 16; w++) if (w <= maxW && total[w] > 0) ws.push(w);
    if (ws.length < 6) return null;
  }
  const n = ws.length;
  const x = new Float64Array(n);
  let maxShare = 0;
  for (let i = 0; i < n; i++) {
    x[i] = -(ws[i] - t) / 52;
    maxShare = Math.max(maxShare, y[ws[i]] / total[ws[i]]);
  }
  // a drift needs more than one earlier year to be told from the season (Farrington: b ≥ 3 years for a trend)
  const tryTrend = trend && seasonal && ws[n - 1] - t >= 52 * 2 - HALF_WINDOW;
  const fit = fitWeighted(y, total, ws, x, tryTrend, maxShare);
  const own = fit.phi >= phiFloor;
  return {
    mu: Math.exp(fit.a) * total[t],
    phi: own ? fit.phi : phiFloor,
    phiDf: own ? n - fit.params : Infinity,
    base: Math.max(1 / fit.v0, 0.5),
    seasonal,
    points: n,
  };
}

/** Two passes: fit, downweight outbreaks (standardized Anscombe residual > 1), refit; the trend decided on each. */
function fitWeighted(
  y: Float64Array,
  total: Float64Array,
  ws: number[],
  x: Float64Array,
  tryTrend: boolean,
  maxShare: number,
): ShareFit & { phi: number; params: number } {
  const n = ws.length;
  const weight = new Float64Array(n).fill(1);
  let fit: ShareFit = { a: 0, b: 0, v0: 1 };
  let phi = 1;
  let params = 1;
  for (let iter = 0; iter < 2; iter++) {
    const withTrend = tryTrend ? fitShare(y, total, ws, x, weight, true) : null;
    const flat = fitShare(y, total, ws, x, weight, false);
    const phiOf = (f: ShareFit, p: number) => {
      let chi = 0;
      let sw = 0;
      for (let i = 0; i < n; i++) {
        const mu = total[ws[i]] * Math.exp(f.a + f.b * x[i]);
        chi += (weight[i] * (y[ws[i]] - mu) ** 2) / mu;
        sw += weight[i];
      }
      return Math.max(1, chi / Math.max(1, sw - p));
    };
    const phiT = withTrend ? phiOf(withTrend, 2) : 1;
    if (withTrend && keepTrend(withTrend, phiT, maxShare)) {
      fit = withTrend;
      phi = phiT;
      params = 2;
    } else {
      fit = flat;
      phi = phiOf(flat, 1);
      params = 1;
    }
    if (iter === 1) break;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const mu = total[ws[i]] * Math.exp(fit.a + fit.b * x[i]);
      const s = (1.5 * (Math.cbrt(y[ws[i]]) ** 2 - Math.cbrt(mu) ** 2)) / (Math.sqrt(phi) * Math.pow(mu, 1 / 6));
      weight[i] = s > 1 ? 1 / (s * s) : 1;
      norm += weight[i];
    }
    for (let i = 0; i < n; i++) weight[i] *= n / norm;
  }
  return { ...fit, phi, params };
}
