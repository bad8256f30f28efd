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
 * The baseline weeks of one fit: counts, hotline totals, x (years before the target week) and outbreak weights,
 * in scratch buffers reused by every call (a run fits about a million baselines; n ≤ 21).
 */
interface Points {
  n: number;
  /** Weeks between the target and the oldest point. */
  span: number;
  y: Float64Array;
  t: Float64Array;
  x: Float64Array;
  w: Float64Array;
}
const MAX_POINTS = YEARS * (2 * HALF_WINDOW + 1) + 12;
const pts: Points = {
  n: 0,
  span: 0,
  y: new Float64Array(MAX_POINTS),
  t: new Float64Array(MAX_POINTS),
  x: new Float64Array(MAX_POINTS),
  w: new Float64Array(MAX_POINTS),
};

/** The flat share rate (slope held at 0): the baseline of earlier rounds and the start of the drift fit. */
function flatShare(p: Points): ShareFit {
  let sy = 0;
  let st = 0;
  for (let i = 0; i < p.n; i++) {
    sy += p.w[i] * p.y[i];
    st += p.w[i] * p.t[i];
  }
  // half an order of pseudo-count keeps an all-zero baseline from expecting exactly zero
  const rate = (sy + 0.5) / st;
  return { a: Math.log(rate), b: 0, v0: 1 / (st * rate) };
}

/** Quasi-Poisson dispersion (≥ 1) of the weighted points around a fit with `params` parameters. */
function dispersion(p: Points, f: ShareFit, params: number): number {
  let chi = 0;
  let sw = 0;
  const rate = Math.exp(f.a);
  for (let i = 0; i < p.n; i++) {
    const mu = p.t[i] * (f.b === 0 ? rate : Math.exp(f.a + f.b * p.x[i]));
    chi += (p.w[i] * (p.y[i] - mu) ** 2) / mu;
    sw += p.w[i];
  }
  return Math.max(1, chi / Math.max(1, sw - params));
}

/** Score test of a zero slope at the flat fit, scaled by the flat fit's dispersion: U / sqrt(I·phi). */
function slopeScore(p: Points, flat: ShareFit, phi: number): number {
  const rate = Math.exp(flat.a);
  let u = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < p.n; i++) {
    const mu = p.t[i] * rate;
    const w = p.w[i] * mu;
    u += p.w[i] * (p.y[i] + 0.5 / p.n - mu) * p.x[i];
    s0 += w;
    s1 += w * p.x[i];
    s2 += w * p.x[i] * p.x[i];
  }
  const info = s2 - (s1 * s1) / s0;
  return info > 0 ? u / Math.sqrt(info * phi) : 0;
}

/**
 * Weighted Poisson regression of the share on x with log(total) as offset: Newton steps from the flat fit until
 * neither coefficient moves by 1e-9 (at most 6).
 */
function fitShare(p: Points, start: ShareFit): ShareFit & { seB: number } {
  let a = start.a;
  let b = 0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let iter = 0; iter < 6; iter++) {
    let g0 = 0;
    let g1 = 0;
    s0 = s1 = s2 = 0;
    for (let i = 0; i < p.n; i++) {
      const mu = p.t[i] * Math.exp(a + b * p.x[i]);
      const w = p.w[i] * mu;
      const r = p.w[i] * (p.y[i] + 0.5 / p.n - mu);
      g0 += r;
      g1 += r * p.x[i];
      s0 += w;
      s1 += w * p.x[i];
      s2 += w * p.x[i] * p.x[i];
    }
    const det = s0 * s2 - s1 * s1;
    if (!(det > 0)) return { ...start, seB: Infinity };
    const da = (s2 * g0 - s1 * g1) / det;
    const db = (s0 * g1 - s1 * g0) / det;
    a += da;
    b += db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  const det = s0 * s2 - s1 * s1;
  return { a, b, v0: s2 / det, seB: Math.sqrt(s0 / det) };
}

/**
 * A slope kept at 3 standard errors (keepTrend) explains a share R of the flat fit's chi-square with
 * R / (1 − R) · (n − 2) > 9, i.e. R > 0.32 at n = 21, which puts the score statistic at the flat fit,
 * R · (n − 1), above 6.4 (|z| > 2.5): series whose score is below 2 cannot keep a slope and are not fitted,
 * which is most of them.
 */
const SCORE_GATE = 2;

/**
 * The trend is kept only when it is significant (|b| > 3 se, se scaled by the dispersion) and the share it
 * predicts for the target week is no larger than the largest share seen in the baseline (Farrington's rule: a
 * trend that extrapolates beyond the data is not trusted).
 */
function keepTrend(fit: ShareFit & { seB: number }, phi: number, maxShare: number): boolean {
  if (!Number.isFinite(fit.seB) || fit.b === 0) return false;
  return Math.abs(fit.b) > 3 * fit.seB * Math.sqrt(phi) && Math.exp(fit.a) <= maxShare;
}

/** The baseline weeks of target week t into `pts`: same week ±3 of earlier years, else the 12 before a gap. */
function collectPoints(y: Float64Array, total: Float64Array, maxW: number, t: number): boolean {
  let n = 0;
  const add = (w: number) => {
    pts.y[n] = y[w];
    pts.t[n] = total[w];
    pts.x[n] = -(w - t) / 52;
    pts.w[n] = 1;
    pts.span = w - t;
    n++;
  };
  for (let k = 1; k <= YEARS; k++) {
    for (let j = -HALF_WINDOW; j <= HALF_WINDOW; j++) {
      const w = t + 52 * k + j;
      if (w <= maxW && total[w] > 0) add(w);
    }
  }
  const seasonal = n >= 2 * HALF_WINDOW + 1;
  if (!seasonal) {
    n = 0;
    for (let w = t + 4; w < t + 16; w++) if (w <= maxW && total[w] > 0) add(w);
  }
  pts.n = n;
  return seasonal;
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
  const seasonal = collectPoints(y, total, maxW, t);
  const n = pts.n;
  if (!seasonal && n < 6) return null;
  let maxShare = 0;
  for (let i = 0; i < n; i++) maxShare = Math.max(maxShare, pts.y[i] / pts.t[i]);
  // a drift needs more than one earlier year to be told from the season (Farrington: b ≥ 3 years for a trend)
  const tryTrend = trend && seasonal && pts.span >= 52 * 2 - HALF_WINDOW;
  const fit = fitWeighted(pts, tryTrend, maxShare);
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
function fitWeighted(p: Points, tryTrend: boolean, maxShare: number): ShareFit & { phi: number; params: number } {
  let fit: ShareFit = { a: 0, b: 0, v0: 1 };
  let phi = 1;
  let params = 1;
  for (let iter = 0; iter < 2; iter++) {
    const flat = flatShare(p);
    const phiFlat = dispersion(p, flat, 1);
    // the slope is fitted only where the score test at the flat fit passes SCORE_GATE (see there)
    const withTrend = tryTrend && Math.abs(slopeScore(p, flat, phiFlat)) > SCORE_GATE ? fitShare(p, flat) : null;
    const phiT = withTrend ? dispersion(p, withTrend, 2) : 1;
    if (withTrend && keepTrend(withTrend, phiT, maxShare)) {
      fit = withTrend;
      phi = phiT;
      params = 2;
    } else {
      fit = flat;
      phi = phiFlat;
      params = 1;
    }
    if (iter === 1) break;
    downweightOutbreaks(p, fit, phi);
  }
  return { ...fit, phi, params };
}

/** Farrington's reweighting: points with a standardized Anscombe residual s > 1 get weight 1/s², renormalized to n. */
function downweightOutbreaks(p: Points, fit: ShareFit, phi: number): void {
  let norm = 0;
  const rate = Math.exp(fit.a);
  const sd = Math.sqrt(phi);
  for (let i = 0; i < p.n; i++) {
    const mu = p.t[i] * (fit.b === 0 ? rate : Math.exp(fit.a + fit.b * p.x[i]));
    const cm = Math.cbrt(mu);
    const s = (1.5 * (Math.cbrt(p.y[i]) ** 2 - cm * cm)) / (sd * Math.sqrt(cm));
    p.w[i] = s > 1 ? 1 / (s * s) : 1;
    norm += p.w[i];
  }
  for (let i = 0; i < p.n; i++) p.w[i] *= p.n / norm;
}
