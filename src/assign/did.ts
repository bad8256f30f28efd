import { mulberry32 } from '../stats/random.js';

/** A stable 32-bit seed from a text (FNV-1a), so each item or series gets its own reproducible stream. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Difference in differences of weekly counts, treated group against comparable untreated units, with a bootstrap
 * over weeks for the interval. The control series is scaled to the treated group's pre-period level, so the
 * counterfactual for the post period is treated_pre × control_post / control_pre: the treated units would have
 * moved as the controls did (season, weather, policy) had nothing been done.
 */

export interface UnitSeries {
  unit: string;
  /** Weekly counts, oldest first; pre has weeksPre entries, post weeksPost. */
  pre: number[];
  post: number[];
  /** Weekly counts of the weeks before `pre` (oldest first), when the store reaches back that far. */
  history?: number[];
}

export interface DidResult {
  treatedPre: number;
  treatedPost: number;
  counterfactual: number;
  effect: number;
  lo: number;
  hi: number;
  pct: number | null;
  pctLo: number | null;
  pctHi: number | null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function sumSeries(units: UnitSeries[], key: 'pre' | 'post'): number[] {
  const len = units[0]?.[key].length ?? 0;
  const out = new Array<number>(len).fill(0);
  for (const u of units) for (let i = 0; i < len; i++) out[i] += u[key][i] ?? 0;
  return out;
}

function estimate(
  tPre: number[],
  tPost: number[],
  cPre: number[],
  cPost: number[],
): { tp: number; tq: number; cf: number } | null {
  const tp = mean(tPre);
  const cp = mean(cPre);
  if (cp <= 0) return null;
  const tq = mean(tPost);
  return { tp, tq, cf: (tp * mean(cPost)) / cp };
}

// Student t 0.975 quantiles for df 1..30; beyond, the normal 1.96.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function t975(df: number): number {
  return df >= 1 && df <= 30 ? T975[Math.floor(df) - 1] : 1.96;
}

function sd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
}

/**
 * The DiD estimate and a 95% interval: the standard error comes from resampling weeks (pre and post separately,
 * the treated and control values of a week kept together, so shocks common to both cancel as in the point
 * estimate), and the interval is estimate ± t(df) × SE with df = the shorter period's weeks − 1. With 8 weeks a
 * plain percentile interval covered the truth only ~90% of the time on simulated panels; the t factor restores
 * ~95% (bench/assign-did-coverage.ts).
 */
export function differenceInDifferences(
  treated: UnitSeries[],
  controls: UnitSeries[],
  opts: { bootstrap: number; seed: number },
): DidResult | null {
  const tPre = sumSeries(treated, 'pre');
  const tPost = sumSeries(treated, 'post');
  const cPre = sumSeries(controls, 'pre');
  const cPost = sumSeries(controls, 'post');
  const point = estimate(tPre, tPost, cPre, cPost);
  if (!point || tPre.length < 2 || tPost.length < 1) return null;
  const rand = mulberry32(opts.seed);
  const effects: number[] = [];
  const pick = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * n));
  for (let b = 0; b < opts.bootstrap; b++) {
    const ip = pick(tPre.length);
    const iq = pick(tPost.length);
    const e = estimate(
      ip.map((i) => tPre[i]),
      iq.map((i) => tPost[i]),
      ip.map((i) => cPre[i]),
      iq.map((i) => cPost[i]),
    );
    if (!e) continue;
    effects.push(e.tq - e.cf);
  }
  const effect = point.tq - point.cf;
  const seBoot = effects.length > 1 ? sd(effects) : 0;
  // Resampling 8 weeks of a few orders each underrates the noise (a cell with no order after the action has no
  // spread at all), so the half-width is at least the Poisson one of the estimate under no effect:
  // var(post mean) + R² var(pre mean) with R = counterfactual / treated pre, each mean's variance its rate / weeks.
  // That variance is a model's, not an estimate from 8 weeks, so it takes the normal quantile, not t.
  const poissonVar = point.cf / tPost.length + (point.tp > 0 ? (point.cf * point.cf) / (point.tp * tPre.length) : 0);
  const half = Math.max(t975(Math.min(tPre.length, tPost.length) - 1) * seBoot, 1.96 * Math.sqrt(poissonVar));
  return {
    treatedPre: point.tp,
    treatedPost: point.tq,
    counterfactual: point.cf,
    effect,
    lo: effect - half,
    hi: effect + half,
    ...percentOf(effect, half, point.cf),
  };
}

/**
 * An effect and its interval (effect ± half) as shares of the counterfactual. They exclude 0 exactly when the
 * effect interval does. (A bootstrap sd of the ratio itself is huge when the counterfactual is a fraction of an
 * order a week, giving intervals like −550%…+700%.) Fewer than no complaints is impossible: the floor is −100%.
 */
export function percentOf(
  effect: number,
  half: number,
  counterfactual: number,
): Pick<DidResult, 'pct' | 'pctLo' | 'pctHi'> {
  if (!(counterfactual > 0)) return { pct: null, pctLo: null, pctHi: null };
  return {
    pct: effect / counterfactual,
    pctLo: Math.max(-1, (effect - half) / counterfactual),
    pctHi: (effect + half) / counterfactual,
  };
}

/** Weeks of history a unit needs for matching on it; with less, controls are matched on the pre period only. */
export const MIN_HISTORY_WEEKS = 8;

/**
 * Comparable controls: untreated units whose weekly mean is within `factor` of the treated units' mean per unit,
 * nearest first (sum of |log ratio|), at most `max` — in the pre period and, when the treated units carry
 * `history`, in the weeks before it as well.
 *
 * Why the history: treated units are chosen because they were high just before the action (a hotspot, a street
 * where the category rose). Untreated units at the same pre-period level are mostly there by chance and fall back
 * afterwards, which makes the counterfactual too low and every action look harmful. Controls that were also that
 * high over the half year before are high for a reason, as the treated are. Where selection on one noisy month
 * dominates, a small apparent decline remains (bench/assign-did-selection.ts; docs/assign.md has the figures).
 */
export function matchControls(
  treated: UnitSeries[],
  candidates: UnitSeries[],
  factor: number,
  max: number,
): UnitSeries[] {
  const level = mean(treated.map((u) => mean(u.pre)));
  if (level <= 0) return [];
  const useHistory = treated.every((u) => (u.history?.length ?? 0) >= MIN_HISTORY_WEEKS);
  const past = useHistory ? mean(treated.map((u) => mean(u.history!))) : 0;
  if (useHistory && past <= 0) return [];
  const near = (m: number, ref: number) => m > 0 && m >= ref / factor && m <= ref * factor;
  return candidates
    .map((u) => ({ u, m: mean(u.pre), h: useHistory ? mean(u.history ?? []) : 0 }))
    .filter((x) => near(x.m, level) && (!useHistory || near(x.h, past)))
    .map((x) => ({ u: x.u, d: Math.abs(Math.log(x.m / level)) + (useHistory ? Math.abs(Math.log(x.h / past)) : 0) }))
    .sort((a, b) => a.d - b.d || a.u.unit.localeCompare(b.u.unit))
    .slice(0, max)
    .map((x) => x.u);
}
