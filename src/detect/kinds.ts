import { addDays } from '../store/dates.js';
import { baselineAt, type Baseline } from './baseline.js';
import type { DetectConfig } from './config.js';
import { exposureOf, historyOf, type Frame, type Series } from './series.js';
import { estimatedDispersionP, poissonUpper, quasiPoissonUpper } from './stats.js';

export type CountKind = 'yoy' | 'mom' | 'trend' | 'spike';
export const COUNT_KINDS: readonly CountKind[] = ['spike', 'mom', 'yoy', 'trend'];

/** One test of one series: what was seen, what was expected, and how surprising the difference is. */
export interface TestResult {
  kind: CountKind;
  series: Series;
  observed: number;
  expected: number;
  p: number;
  phi: number;
  windowStart: string;
  windowEnd: string;
  /** Whether the expectation carries the category's season (earlier years) or only recent weeks. */
  seasonal: boolean;
  extra: Record<string, number>;
}

const TREND_WEEKS = 8;

/** Baselines for the weeks the tests read, 0..7, of one series (null where history is too short). */
export function baselines(s: Series, frame: Frame, phiFloor = 1, trend = false): (Baseline | null)[] {
  const out: (Baseline | null)[] = [];
  const maxW = historyOf(s, frame);
  const total = exposureOf(s, frame);
  for (let t = 0; t < TREND_WEEKS; t++) out.push(baselineAt(s.y, total, maxW, t, phiFloor, trend));
  return out;
}

/** y[from] + … + y[to]. */
export function sum(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += a[i];
  return s;
}

function windowOf(frame: Frame, weeks: number): { windowStart: string; windowEnd: string } {
  return { windowStart: addDays(frame.week0, -7 * (weeks - 1)), windowEnd: addDays(frame.week0, 6) };
}

/**
 * Whether a series is under spike's volume gate (expects under `minExpectedWeek` a week): such a series is tested only
 * for a burst (see DetectConfig.burst), at a level shared over every series under the gate.
 */
export function belowSpikeGate(b0: Baseline | null, cfg: DetectConfig): boolean {
  return !!b0 && b0.mu < cfg.minExpectedWeek;
}

/** Last week against its Farrington-like baseline. */
export function spikeTest(s: Series, frame: Frame, b: (Baseline | null)[], cfg: DetectConfig): TestResult | null {
  const b0 = b[0];
  if (!b0) return null;
  const observed = s.y[0];
  const burst = belowSpikeGate(b0, cfg);
  if (burst && (cfg.burst.familyAlpha <= 0 || observed < cfg.burst.minCount)) return null;
  const phi = b0.phi * (1 + b0.mu / b0.base);
  return {
    kind: 'spike',
    series: s,
    observed,
    expected: b0.mu,
    p: estimatedDispersionP(quasiPoissonUpper(observed, b0.mu, phi), b0.phiDf),
    phi,
    seasonal: b0.seasonal,
    ...windowOf(frame, 1),
    // below_gate: tested as a burst under the volume gate, significant only at the family-wise level (compute.ts)
    extra: { baseline_points: b0.points, ...(burst ? { below_gate: 1 } : {}) },
  };
}

/**
 * Last 4 weeks against the 4 before, seasonally adjusted: the previous 4 weeks' count times the ratio the
 * baseline model expects between the two windows (same weeks of earlier years, and the hotline's volume).
 */
export function momTest(s: Series, frame: Frame, b: (Baseline | null)[], cfg: DetectConfig): TestResult | null {
  if (historyOf(s, frame) < 7 || b.slice(0, 8).some((x) => !x)) return null;
  const bl = b.slice(0, 8) as Baseline[];
  const prev = sum(s.y, 4, 7);
  // Both windows need the same kind of baseline. Just over a year into the data, the older window's weeks a year
  // back fall before the first order, so it took the recent-weeks baseline — the flood season just past — while
  // the newer one took last November's lull: 153 orders after 146 read as 环比 +599%. Without a year behind both
  // windows only the hotline's volume adjusts the previous 4 weeks, and the reason says the season was not taken out.
  const seasonal = bl.every((x) => x.seasonal);
  const total = exposureOf(s, frame);
  const volume = sum(total, 0, 3) / sum(total, 4, 7);
  // (With recent-weeks baselines on both sides the two windows' rates come from weeks 4 apart, so a wave just past
  // moved the ratio as well; the volume alone is the honest adjustment then.)
  // Near the Spring Festival some seasons hang on the festival (wage arrears before it) and some on the calendar
  // (a school term starting on a fixed date): the expectation is the larger of the two, so neither reads as a rise
  const season = seasonal
    ? largerRatio(seasonalShareRatio(s.y, total, historyOf(s, frame)), festivalRatio(s, frame))
    : null;
  const ratio = season ? volume * season.ratio : volume;
  const expected = (prev + 0.5) * ratio;
  if (expected < cfg.minExpected4w) return null;
  const observed = sum(s.y, 0, 3);
  // the previous 4 weeks and, when it is used, last years' change carry their own noise into the expectation
  const phi = bl[0].phi * (1 + expected * (1 / (prev + 0.5) + (season?.relVar ?? 0)));
  return {
    kind: 'mom',
    series: s,
    observed,
    expected,
    p: estimatedDispersionP(quasiPoissonUpper(observed, expected, phi), bl[0].phiDf),
    phi,
    seasonal,
    ...windowOf(frame, 4),
    extra: { previous: prev, seasonal_ratio: ratio / volume },
  };
}

/**
 * How the category's share of the hotline changed from weeks 4–7 to weeks 0–3 in the same weeks of earlier years
 * (up to 3, pooled), with its relative variance. Exact weeks, not the spike baseline's ±3-week smoothing and
 * outbreak downweighting: a wave that starts the same week every year (school opening, ×22 and ×30 in two years of
 * an unseen city) was smeared to ×3.4 by those, and every street read 环比上升 the week school began.
 */
export function seasonalShareRatio(
  y: Float64Array,
  total: Float64Array,
  maxW: number,
  lags: readonly number[] = [52, 104, 156],
): { ratio: number; relVar: number } | null {
  let yc = 0;
  let tc = 0;
  let yp = 0;
  let tp = 0;
  for (const lag of lags) {
    if (lag + 7 > maxW) break;
    const c = sum(total, lag, lag + 3);
    const p = sum(total, lag + 4, lag + 7);
    if (c <= 0 || p <= 0) continue;
    yc += sum(y, lag, lag + 3);
    tc += c;
    yp += sum(y, lag + 4, lag + 7);
    tp += p;
  }
  if (tc <= 0 || tp <= 0) return null;
  return { ratio: (yc + 0.5) / tc / ((yp + 0.5) / tp), relVar: 1 / (yc + 0.5) + 1 / (yp + 0.5) };
}

function festivalRatio(s: Series, frame: Frame): { ratio: number; relVar: number } | null {
  const plain = frame.yearLags.every((lag, i) => lag === 52 * (i + 1));
  return plain ? null : seasonalShareRatio(s.y, exposureOf(s, frame), historyOf(s, frame), frame.yearLags);
}

function largerRatio<T extends { ratio: number }>(a: T | null, b: T | null): T | null {
  if (!a || !b) return a ?? b;
  return b.ratio > a.ratio ? b : a;
}

/** Last 4 weeks against the same 4 weeks a year earlier, scaled by the growth of the hotline's whole volume. */
export function yoyTest(s: Series, frame: Frame, b: (Baseline | null)[], cfg: DetectConfig): TestResult | null {
  if (historyOf(s, frame) < 55) return null;
  const lastYear = sum(s.y, 52, 55);
  const total = exposureOf(s, frame);
  const growth = sum(total, 0, 3) / sum(total, 52, 55);
  const expected = (lastYear + 0.5) * growth;
  if (expected < cfg.minExpected4w) return null;
  const observed = sum(s.y, 0, 3);
  const phi = (b[0]?.phi ?? 1) * (1 + expected / (lastYear + 0.5));
  return {
    kind: 'yoy',
    series: s,
    observed,
    expected,
    p: estimatedDispersionP(quasiPoissonUpper(observed, expected, phi), b[0]?.phiDf ?? Infinity),
    phi,
    seasonal: true,
    ...windowOf(frame, 4),
    extra: { last_year: lastYear, volume_growth: growth },
  };
}

/** The trend test's two forms: a ramp over 8 weeks, or a level shift over the last k weeks (extra.form). */
export const TREND_RAMP = 0;
export const TREND_SHIFT = 1;
/** Onsets the shift form tries: the last 2 … 8 weeks (1 week is the spike test's). */
const SHIFT_ONSETS = TREND_WEEKS - 1;

/** One week's expectation, its dispersion and how much it shares with the other weeks' (their common baseline). */
interface WeekExpectation {
  y: number;
  mu: number;
  phi: number;
  /** mu's standard error from the baseline, per unit of dispersion: mu / sqrt(base / phi). */
  shared: number;
}

/**
 * P(S ≥ observed) for a weighted sum S = Σ a·y of weeks whose expectations share their baseline: the sum is skewed
 * like a count when counts are small, so mean and variance are matched with a scaled Poisson (S/c ~ Poisson(M/c),
 * c = V/M) rather than trusting a normal tail. V adds the baseline's error, common to all the weeks, not independent.
 */
function weightedTail(weeks: readonly WeekExpectation[], weights: readonly number[]): { p: number; z: number } {
  let s = 0;
  let m = 0;
  let v = 0;
  let shared = 0;
  weeks.forEach((w, i) => {
    const a = weights[i];
    s += a * w.y;
    m += a * w.mu;
    v += a * a * w.phi * w.mu;
    shared += a * w.shared;
  });
  const variance = v + shared * shared;
  const c = variance / m;
  return { p: poissonUpper(s / c, m / c), z: (s - m) / Math.sqrt(variance) };
}

/**
 * The shift form: the last k weeks (k = 2 … 8) all lifted by a common factor, the onset unknown — a GLR over the
 * onset, each window's sum against its expectation, the smallest p-value times the number of onsets tried
 * (Bonferroni). Only windows whose two newest weeks are both above expected are tried: a rise that is one week old
 * is the spike test's, and a window carried by one old week is not a sustained rise.
 */
interface ShiftForm {
  p: number;
  k: number;
  ratio: number;
  excess: number;
  /** Orders in the last k weeks and what was expected of them (the counts a reason gives on a small base). */
  observed: number;
  expected: number;
}

function shiftForm(weeks: readonly WeekExpectation[]): ShiftForm {
  let best: ShiftForm = { p: 1, k: 0, ratio: 1, excess: 0, observed: 0, expected: 0 };
  if (weeks[0].y <= weeks[0].mu || weeks[1].y <= weeks[1].mu) return best;
  for (let k = 2; k <= TREND_WEEKS; k++) {
    const window = weeks.slice(0, k);
    const { p } = weightedTail(window, new Array<number>(k).fill(1));
    if (p < best.p) {
      const o = window.reduce((n, w) => n + w.y, 0);
      const e = window.reduce((n, w) => n + w.mu, 0);
      best = { p, k, ratio: o / e, excess: o - e, observed: o, expected: e };
    }
  }
  return { ...best, p: Math.min(1, best.p * SHIFT_ONSETS) };
}

/**
 * A sustained rise against the expected level of each of the last 8 weeks (the spike baseline), in one of two
 * forms, whichever is surer (p-value doubled for having looked at both):
 * - ramp: residuals combined with ramp weights (the newest week counts most), the most powerful linear test against
 *   a rise growing week by week; a one-sided CUSUM (k = 0.5) over the standardized residuals is reported alongside;
 * - shift: the last k weeks all above expected (see shiftForm), which a ramp over 8 weeks dilutes with the quiet
 *   weeks before it when the rise began 2–4 weeks ago.
 * The p-value is unconditional; the requirements that the excess be present in most recent weeks (ramp) and be
 * large enough are applied after FDR control, like the effect-size filters.
 */
export function trendTest(s: Series, frame: Frame, b: (Baseline | null)[], cfg: DetectConfig): TestResult | null {
  if (b.slice(0, TREND_WEEKS).some((x) => !x)) return null;
  const bl = b.slice(0, TREND_WEEKS) as Baseline[];
  // As in momTest, the newer weeks may have last year behind them while the older ones fall back on recent weeks.
  // A residual series half against last year and half against the weeks just past is no trend, and measuring
  // every week against recent weeks instead read the end of a flood season as a creep in every other category
  // (their share of the hotline rose): so no trend test in those few weeks of a store's second year.
  if (!bl.every((x) => x.seasonal) && bl.some((x) => x.seasonal)) return null;
  const weeks: WeekExpectation[] = bl.map((x, t) => ({
    y: s.y[t],
    mu: x.mu,
    phi: x.phi,
    shared: x.mu / Math.sqrt(x.base / x.phi),
  }));
  const observed = weeks.reduce((n, w) => n + w.y, 0);
  const expected = weeks.reduce((n, w) => n + w.mu, 0);
  if (expected < cfg.minExpected4w * 2) return null;
  let cusum = 0;
  let above = 0;
  for (let t = TREND_WEEKS - 1; t >= 0; t--) {
    const { y, mu } = weeks[t];
    cusum = Math.max(0, cusum + (y - mu) / Math.sqrt(bl[t].phi * (1 + mu / bl[t].base) * mu) - 0.5);
    if (t < 6 && y > mu) above++;
  }
  const recent = weeks.slice(0, 4);
  const recentObserved = recent.reduce((n, w) => n + w.y, 0);
  const recentExpected = recent.reduce((n, w) => n + w.mu, 0);
  const recentRatio = recentObserved / recentExpected;
  const ramp = weightedTail(
    weeks,
    weeks.map((_, t) => TREND_WEEKS - t),
  );
  const shift = shiftForm(weeks);
  const form = shift.p < ramp.p ? TREND_SHIFT : TREND_RAMP;
  return {
    kind: 'trend',
    series: s,
    observed,
    expected,
    p: Math.min(1, 2 * Math.min(ramp.p, shift.p)),
    phi: bl[0].phi,
    seasonal: bl[0].seasonal,
    ...windowOf(frame, TREND_WEEKS),
    extra: {
      z: ramp.z,
      cusum,
      weeks_above: above,
      recent_ratio: recentRatio,
      recent_observed: recentObserved,
      recent_expected: recentExpected,
      form,
      shift_weeks: shift.k,
      shift_ratio: shift.ratio,
      shift_excess: shift.excess,
      shift_observed: shift.observed,
      shift_expected: shift.expected,
    },
  };
}

export const countTests: Record<CountKind, typeof spikeTest> = {
  spike: spikeTest,
  mom: momTest,
  yoy: yoyTest,
  trend: trendTest,
};
