import type { Config } from '../store/config.js';
import type { Store } from '../store/db.js';
import { joinPlace } from '../store/place-names.js';
import type { Alert } from './alert.js';
import { detectConfig, type DetectConfig } from './config.js';
import { explainParents, followParents } from './hierarchy.js';
import {
  baselines,
  belowSpikeGate,
  COUNT_KINDS,
  countTests,
  TREND_SHIFT,
  type CountKind,
  type TestResult,
} from './kinds.js';
import { detectNewTopics } from './new-topic.js';
import { newSubcategories, type NewSubcategory } from './new-subcategory.js';
import { reasonFor } from './reason.js';
import { alertScore } from './score.js';
import { exposureOf, historyOf, loadFrame, type Frame, type Series } from './series.js';
import { baselineAt } from './baseline.js';
import { benjaminiHochberg } from '../stats/fdr.js';
import { dataEnd } from '../store/data-end.js';
import { daysBetween } from '../store/dates.js';
import { missingIn } from './missing-days.js';

/** A category × scope that was eligible for at least one test (the denominator of false-alarm rates). */
export type TestedSeries = Pick<
  Series,
  'key' | 'category' | 'level' | 'cat1' | 'scopeLevel' | 'scopeName' | 'district'
>;

export interface DetectResult {
  asOf: string;
  week0: string;
  alerts: Alert[];
  tested: TestedSeries[];
  tests: Record<CountKind, number>;
}

/**
 * Whether a test is an alert: significant (the run's FDR, or its own p-value), and large enough to act on. A trend
 * in its ramp form must also be above expected in most recent weeks and have built up a CUSUM (a one-week jump is
 * no trend); in its shift form its window's rise is what must be large enough.
 */
function passes(r: TestResult, q: number, cfg: DetectConfig): boolean {
  const shift = r.kind === 'trend' && r.extra.form === TREND_SHIFT;
  if (r.kind === 'trend' && !shift) {
    if (r.extra.weeks_above < cfg.trendMinWeeksAbove || r.extra.cusum < cfg.trendMinCusum) return false;
  }
  const ratio = shift ? r.extra.shift_ratio : r.kind === 'trend' ? r.extra.recent_ratio : r.observed / r.expected;
  const excess = shift ? r.extra.shift_excess : r.observed - r.expected;
  // a burst under the volume gate: its q is its Bonferroni-adjusted p over the series under the gate (qValues)
  const significant = isBurst(r) ? q <= cfg.burst.familyAlpha : q <= cfg.fdr[r.kind] || r.p <= cfg.alpha[r.kind];
  return significant && ratio >= cfg.minRatio[r.kind] && excess >= cfg.minExcess;
}

/** A spike test of a series under the volume gate (kinds.ts, DetectConfig.burst). */
const isBurst = (r: TestResult): boolean => r.extra.below_gate === 1;

/** A street is named with its district, as place names are written (a space between two Latin names). */
export function scopeLabel(s: Pick<Series, 'scopeLevel' | 'district' | 'scopeName'>): string {
  return s.scopeLevel === 'street' && s.district ? joinPlace([s.district, s.scopeName]) : s.scopeName;
}

/** Median own dispersion of the last week's baseline, per scope level. */
export function dispersionFloors(frame: Frame): Record<Series['scopeLevel'], number> {
  const by: Record<string, number[]> = { city: [], district: [], street: [] };
  for (const s of frame.series) {
    const b = baselineAt(s.y, exposureOf(s, frame), historyOf(s, frame), 0);
    if (b) by[s.scopeLevel].push(b.phi);
  }
  const med = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 1);
  return { city: med(by.city), district: med(by.district), street: med(by.street) };
}

/** The raw count tests of one as-of, before any decision: what the backtest sweeps decision rules over. */
export interface CountTests {
  asOf: string;
  week0: string;
  results: Record<CountKind, TestResult[]>;
  tested: TestedSeries[];
  /** Level-1 results whose excess sits largely in a sub-category new to the test (see new-subcategory.ts). */
  newParts: Map<TestResult, NewSubcategory>;
  /** Weekdays without data per week index (Frame.missing). */
  missing: Uint8Array;
  /** Series under spike's volume gate: the family a burst's p-value is shared over (Bonferroni). */
  belowGate: number;
}

export async function runCountTests(store: Store, asOf: string, config: Config): Promise<CountTests> {
  const cfg = detectConfig(config);
  const frame = await loadFrame(store, asOf, config.city.name, cfg);
  const results: Record<CountKind, TestResult[]> = { spike: [], mom: [], yoy: [], trend: [] };
  const tested = new Map<string, TestedSeries>();
  const floor = dispersionFloors(frame);
  let belowGate = 0;
  for (const s of frame.series) {
    const b = baselines(s, frame, floor[s.scopeLevel], cfg.baselineTrend);
    if (belowSpikeGate(b[0], cfg)) belowGate++;
    for (const kind of COUNT_KINDS) {
      const r = countTests[kind](s, frame, b, cfg);
      if (!r) continue;
      results[kind].push(r);
      if (!tested.has(s.key)) {
        const { key, category, level, cat1, scopeLevel, scopeName, district } = s;
        tested.set(key, { key, category, level, cat1, scopeLevel, scopeName, district });
      }
    }
  }
  const newParts = newSubcategories(
    COUNT_KINDS.flatMap((k) => results[k]),
    frame,
  );
  return {
    asOf,
    week0: frame.week0,
    results,
    tested: [...tested.values()],
    newParts,
    missing: frame.missing,
    belowGate,
  };
}

/**
 * Benjamini–Hochberg q-values of one kind's tests. With `fdrFamilies = 'scope'` each scope level (city,
 * district, street) is its own family: the ~2,000 street tests no longer set the bar for the few dozen city
 * and district ones, and each level's list keeps its own false-discovery rate.
 */
function qValues(rs: readonly TestResult[], cfg: DetectConfig, belowGate: number): number[] {
  const q = new Array<number>(rs.length);
  // bursts under the volume gate stay out of the BH lists: each is judged at the family-wise level, p × their number,
  // and never more leniently than spike's own alpha (a city with 4 small series would otherwise test them at 0.0125)
  const family = Math.max(1, belowGate, cfg.alpha.spike > 0 ? cfg.burst.familyAlpha / cfg.alpha.spike : 1);
  rs.forEach((r, i) => {
    if (isBurst(r)) q[i] = Math.min(1, r.p * family);
  });
  const levels = cfg.fdrFamilies === 'kind' ? [null] : (['city', 'district', 'street'] as const);
  for (const level of levels) {
    const idx: number[] = [];
    rs.forEach((r, i) => {
      if (!isBurst(r) && (level === null || r.series.scopeLevel === level)) idx.push(i);
    });
    const ql = benjaminiHochberg(idx.map((i) => rs[i].p));
    idx.forEach((i, j) => (q[i] = ql[j]));
  }
  return q;
}

/** FDR, effect-size gates and hierarchy notes over the raw tests: the alerts of the count kinds. */
export function decideCountAlerts(tests: CountTests, config: Config): Alert[] {
  const cfg = detectConfig(config);
  const city = config.city.name;
  const alerts: Alert[] = [];
  for (const kind of COUNT_KINDS) {
    const rs = tests.results[kind];
    const q = qValues(rs, cfg, tests.belowGate);
    const alerted = new Set<string>();
    rs.forEach((r, i) => {
      if (passes(r, q[i], cfg)) alerted.add(r.series.key);
    });
    const why = explainParents(rs, alerted, city, cfg.explainShare);
    const follows = followParents(rs, alerted, city, why);
    rs.forEach((r, i) => {
      if (!alerted.has(r.series.key)) return;
      const s = r.series;
      const explained = why.get(s.key);
      const follow = explained ? undefined : follows.get(s.key);
      const newPart = tests.newParts.get(r);
      const lift = r.kind === 'trend' ? r.extra.recent_ratio : r.observed / r.expected;
      // days of the window with no data at all (an export not loaded): counted on the days seen, and said so
      const missingDays = missingIn(tests.missing, 0, daysBetween(r.windowStart, tests.week0) / 7);
      alerts.push({
        category: s.category,
        level: s.level,
        scope: { level: s.scopeLevel, name: s.scopeName, district: s.district },
        kind,
        window_start: r.windowStart,
        window_end: r.windowEnd,
        observed: r.observed,
        expected: Math.round(r.expected * 100) / 100,
        score: Math.round(alertScore(q[i], lift) * 1000) / 1000,
        p_value: r.p,
        q_value: q[i],
        reason: reasonFor(r, scopeLabel(s), explained, newPart, follow, missingDays),
        details: {
          dispersion: Math.round(r.phi * 1000) / 1000,
          seasonal_baseline: r.seasonal,
          // which rule made it significant: the run's false-discovery rate, or its own p-value (detect.alpha)
          significance: isBurst(r) ? 'burst' : q[i] <= cfg.fdr[kind] ? 'fdr' : 'alpha',
          ...Object.fromEntries(Object.entries(r.extra).map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
          // a parent alert whose excess sits in one child: the child is the one to act on; a child rising no more
          // than its alerted parent is that parent's rise seen from below
          primary: !explained && !follow,
          ...(explained ? { explained_by: explained } : {}),
          ...(follow ? { follows: { level: follow.level, name: follow.name, key: follow.key } } : {}),
          ...(newPart ? { new_subcategory: newPart } : {}),
          ...(missingDays ? { missing_days: missingDays } : {}),
        },
      });
    });
  }
  return alerts;
}

/**
 * Every alert of this stage's kinds as of a date, without writing anything: the stage stores them, the
 * backtest scores them.
 */
export async function detectAlerts(store: Store, asOf: string, config: Config): Promise<DetectResult> {
  const cfg = detectConfig(config);
  // data that stopped before the as-of is tested up to where it ends, not with its missing days as zeros
  const at = (await dataEnd(store, asOf)).asOf;
  const tests = await runCountTests(store, at, config);
  const alerts = decideCountAlerts(tests, config);
  alerts.push(...(await detectNewTopics(store, at, tests.week0, config.city.name, cfg)));
  alerts.sort(
    (a, b) =>
      b.score - a.score ||
      a.category.localeCompare(b.category) ||
      a.scope.name.localeCompare(b.scope.name) ||
      a.kind.localeCompare(b.kind),
  );
  const r = tests.results;
  return {
    asOf,
    week0: tests.week0,
    alerts,
    tested: tests.tested,
    tests: { spike: r.spike.length, mom: r.mom.length, yoy: r.yoy.length, trend: r.trend.length },
  };
}
