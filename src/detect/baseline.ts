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

/**
 * phiFloor: the dispersion shared by series of the same scope level (median of their own estimates). Twenty-one
 * points estimate a dispersion poorly, and the outbreak reweighting biases it low, so a series is never judged
 * less dispersed than its peers.
 */
export function baselineAt(
  y: Float64Array,
  total: Float64Array,
  maxW: number,
  t: number,
  phiFloor = 1,
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
  const weight = new Float64Array(n).fill(1);
  let rate = 0;
  let phi = 1;
  for (let iter = 0; iter < 2; iter++) {
    let sy = 0;
    let st = 0;
    for (let i = 0; i < n; i++) {
      sy += weight[i] * y[ws[i]];
      st += weight[i] * total[ws[i]];
    }
    // half an order of pseudo-count keeps an all-zero baseline from expecting exactly zero
    rate = (sy + 0.5) / st;
    let chi = 0;
    let sw = 0;
    for (let i = 0; i < n; i++) {
      const mu = rate * total[ws[i]];
      chi += (weight[i] * (y[ws[i]] - mu) ** 2) / mu;
      sw += weight[i];
    }
    phi = Math.max(1, chi / Math.max(1, sw - 1));
    if (iter === 1) break;
    // downweight points that look like outbreaks (standardized Anscombe residual > 1)
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const mu = rate * total[ws[i]];
      const s = (1.5 * (Math.cbrt(y[ws[i]]) ** 2 - Math.cbrt(mu) ** 2)) / (Math.sqrt(phi) * Math.pow(mu, 1 / 6));
      weight[i] = s > 1 ? 1 / (s * s) : 1;
      norm += weight[i];
    }
    for (let i = 0; i < n; i++) weight[i] *= n / norm;
  }
  let base = 0;
  for (let i = 0; i < n; i++) base += weight[i] * rate * total[ws[i]];
  const own = phi >= phiFloor;
  return {
    mu: rate * total[t],
    phi: own ? phi : phiFloor,
    phiDf: own ? n - 1 : Infinity,
    base: Math.max(base, 0.5),
    seasonal,
    points: n,
  };
}
