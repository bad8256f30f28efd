import { normalUpper } from '../stats/normal.js';
import type { TopicsConfig } from './config.js';

/** What SQL measured for one category (level 1 or 2) or, with level 0, the whole city. */
export interface CategoryMetrics {
  level: 0 | 1 | 2;
  category: string | null;
  cat1: string | null;
  n_last: number;
  n_prev: number;
  n_ly: number;
  n_ly_next: number;
  /**
   * Last year's pair of windows whose change is 环比's season: n_ly_prev the first (M-14, or moved to sit at the same
   * distance from the Spring Festival as M-2: topics/month.ts seasonPair), n_ly_pair the second (M-13 or moved;
   * absent: n_ly). 0 when the store does not reach back that far (see Calendar.hasYearAgoPrev).
   */
  n_ly_prev?: number;
  n_ly_pair?: number;
  /** The last 14 days of last month. */
  n_recent?: number;
  n_oos_last: number;
  n_repeat_last: number;
  n_unsat_last: number;
  n_closed_last: number;
}

/** Lengths of the months compared, and whether the store reaches back a year. */
export interface Calendar {
  daysLast: number;
  daysPrev: number;
  daysLy: number;
  daysLyNext: number;
  daysNext: number;
  hasPrev: boolean;
  hasYearAgo: boolean;
  /** Length of last year's pair (n_ly_prev, n_ly_pair; absent: daysLy), whether the store reaches back to it. */
  daysLyPrev?: number;
  daysLyPair?: number;
  hasYearAgoPrev?: boolean;
  /** This year's Spring Festival when last year's pair was moved to sit at the same distance from it; else null. */
  pairAlignedOn?: string | null;
}

export interface Extras {
  /** Structural root-cause share of last month's orders, null when nothing is tagged. */
  structural: number | null;
  /** Share of last month's orders in hotspot cells of the category, null without a hotspot snapshot. */
  hotShare: number | null;
  forecast: {
    yhat: number;
    lo: number | null;
    hi: number | null;
    source: 'forecast' | 'seasonal_naive';
    /** seasonal_naive: last year's counts of this month and the next, behind the ratio */
    basis?: { now: number; next: number };
    /** forecast: the series broke from its model's level lately; the forecast carries the new level (× this). */
    levelShift?: number | null;
  } | null;
  /** Alerts raised for the category (or, for level 1, its children) at city or district scope. */
  alerts: number;
}

export type Component =
  'yoy' | 'mom' | 'forecast' | 'excess' | 'volume' | 'hotspot' | 'repeat' | 'dissatisfaction' | 'structural' | 'alerts';
export type ExclusionReason = 'routine' | 'out_of_scope' | 'too_small' | 'excluded_by_config' | 'not_broad' | 'covered';

export interface Derived {
  /** Per-day rate change vs the month before (null without it). */
  mom: number | null;
  /** The same change a year earlier (last year's pair, with a pseudo-count of 5 each: the score's), null without it. */
  lyMom: number | null;
  /** lyMom as counted, without the pseudo-count: the figure a reader is shown; null when its first window is empty. */
  lyMomPlain: number | null;
  /** Last year's pair was moved to sit at the same distance from the Spring Festival as this year's months. */
  lyAligned: boolean;
  /** mom with last year's seasonal rise (plain) taken out: (1 + mom) / (1 + max(0, lyMomPlain)) − 1. */
  momAdjusted: number | null;
  /** Per-day rate change vs the same month a year earlier. */
  yoy: number | null;
  /** Growth of every other category's volume over the same year (the hotline's own growth). */
  cityGrowth: number | null;
  /** yoy with the city's growth taken out: (1 + yoy) / (1 + cityGrowth) − 1. */
  yoyAdjusted: number | null;
  zYoy: number | null;
  zMom: number | null;
  /** Forecast for the coming month relative to the current per-day rate (see aheadBase). */
  ahead: number | null;
  /** What `ahead` is measured from: last month's per-day rate, or its last 14 days' when those ran higher. */
  aheadBase: 'month' | 'recent';
  /** Orders above the expectation of the strongest counted rise. */
  excess: number;
  repeatRate: number;
  cityRepeatRate: number;
  unsatRate: number | null;
  cityUnsatRate: number | null;
  outOfScopeShare: number;
}

export interface Scored {
  metrics: CategoryMetrics & { category: string; cat1: string; level: 1 | 2 };
  extras: Extras;
  derived: Derived;
  components: Record<Component, number>;
  score: number;
  eligible: boolean;
  excludedWhy: ExclusionReason | null;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

interface Rise {
  comp: number;
  /** log rate ratio in standard errors */
  z: number | null;
  /** orders above the expectation (0 when the rise does not count) */
  excess: number;
}

const NO_RISE: Rise = { comp: 0, z: null, excess: 0 };

/** Orders added to each of last year's two months before their ratio is taken (the 环比 season, the wave ahead). */
export const SEASON_PSEUDO_COUNT = 5;

/**
 * Last year's change between the two windows of its pair: heating's November is ten times its October every year,
 * and that 环比 is the season, not a rise. The score's figure carries a pseudo-count, so a handful of orders a year
 * ago cannot set it; a reader is shown the plain one. Only a season that rose is taken out: one that fell last year
 * (排水防涝 after a stormy September) is weather, not calendar, and "扣除季节变化后上升55%" made a candidate of it.
 */
function lastYearSeason(m: CategoryMetrics, mom: number | null, cal: Calendar) {
  const k = SEASON_PSEUDO_COUNT;
  const nPair = m.n_ly_pair ?? m.n_ly;
  const daysPair = cal.daysLyPair ?? cal.daysLy;
  const prev = m.n_ly_prev;
  const known = mom !== null && cal.hasYearAgoPrev && cal.daysLyPrev && prev !== undefined && nPair + prev > 0;
  const lyMom = known ? (nPair + k) / daysPair / ((prev + k) / cal.daysLyPrev!) - 1 : null;
  const lyMomPlain = known && prev > 0 ? nPair / daysPair / (prev / cal.daysLyPrev!) - 1 : null;
  const momAdjusted = mom !== null && lyMomPlain !== null ? (1 + mom) / (1 + Math.max(0, lyMomPlain)) - 1 : null;
  return { lyMom, lyMomPlain, momAdjusted, nPair };
}

/**
 * A rise as a component: the rate ratio observed / expected, taken at its lower confidence bound (Poisson counts on
 * both sides, log scale), so a small category needs a larger jump to score the same; zero unless the log ratio is
 * zMin standard errors above zero. `nObs` / `nExp` are the counts behind each side, for the standard error.
 */
function riseComponent(
  observed: number,
  expected: number | null,
  nObs: number,
  nExp: number,
  full: number,
  cfg: TopicsConfig,
  extraVar = 0,
): Rise {
  if (expected === null || expected <= 0 || observed <= 0 || nObs <= 0 || nExp <= 0) return NO_RISE;
  const ratio = observed / expected;
  // extraVar: the variance of a log-scale adjustment the expectation carries (last year's 环比)
  const se = Math.sqrt(1 / nObs + 1 / nExp + extraVar);
  const z = Math.log(ratio) / se;
  if (z < cfg.zMin) return { comp: 0, z, excess: 0 };
  const lower = ratio * Math.exp(-cfg.confidence * se);
  return { comp: clamp01((lower - 1) / full), z, excess: observed - expected };
}

/**
 * The bar a wave read from last year's change alone must clear. Such a wave rests on one past season (two months of
 * one year), and every category without a seasonal model is read that way: among twenty, one passes z 2 by chance
 * about every other month (Konstanz Mängelmelder, 2022-01: "季节性高峰将至" from 23 → 42 reports a year before; 15
 * came). The one-sided error of zMin is shared out over the categories read that way (Bonferroni): 20 → z 3.05.
 * A heating season (tenfold in a month) clears it; the forecast stage's own seasonal models are not affected.
 */
export function seasonZMin(tests: number, zMin: number): number {
  if (tests <= 1) return zMin;
  const p = normalUpper(zMin) / tests;
  let lo = zMin;
  let hi = 12;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalUpper(mid) > p) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Rates shrunk towards the city's rate, so a category with 12 orders cannot have a 50% repeat rate by chance. */
function shrunkRate(k: number, n: number, cityRate: number, shrink: number): number {
  return (k + shrink * cityRate) / (n + shrink);
}

export function derive(
  m: CategoryMetrics,
  city: CategoryMetrics,
  extras: Extras,
  cal: Calendar,
  cfg: TopicsConfig,
  seasonZMin = cfg.zMin,
): { derived: Derived; components: Record<Component, number> } {
  const perDay = (n: number, d: number) => n / d;
  const rateLast = perDay(m.n_last, cal.daysLast);
  const mom = cal.hasPrev && m.n_prev > 0 ? rateLast / perDay(m.n_prev, cal.daysPrev) - 1 : null;
  const k = SEASON_PSEUDO_COUNT;
  const season = lastYearSeason(m, mom, cal);
  const { lyMom, lyMomPlain, momAdjusted } = season;
  const yoy = cal.hasYearAgo && m.n_ly > 0 ? rateLast / perDay(m.n_ly, cal.daysLy) - 1 : null;
  const othersLast = city.n_last - m.n_last;
  const othersLy = city.n_ly - m.n_ly;
  const cityGrowth =
    cal.hasYearAgo && othersLy > 0 ? perDay(othersLast, cal.daysLast) / perDay(othersLy, cal.daysLy) - 1 : null;
  const yoyAdjusted = yoy !== null ? (1 + yoy) / (1 + (cityGrowth ?? 0)) - 1 : null;

  const expectedYoy = yoy !== null ? ((m.n_ly * cal.daysLast) / cal.daysLy) * (1 + (cityGrowth ?? 0)) : null;
  const expectedMom = mom !== null ? ((m.n_prev * cal.daysLast) / cal.daysPrev) * (1 + Math.max(0, lyMom ?? 0)) : null;
  const y = riseComponent(m.n_last, expectedYoy, m.n_last, m.n_ly, cfg.full.yoy, cfg);
  const lyMomVar = lyMom !== null && lyMom > 0 ? 1 / (season.nPair + k) + 1 / ((m.n_ly_prev ?? 0) + k) : 0;
  const mo = riseComponent(m.n_last, expectedMom, m.n_last, m.n_prev, cfg.full.mom, cfg, lyMomVar);

  // A month that rose midway (heating from the 15th) sits below its own last two weeks: a coming month above the
  // month's mean but below those weeks is the wave passing, not a wave coming.
  const rateRecent = m.n_recent !== undefined ? perDay(m.n_recent, 14) : 0;
  const aheadBase = rateRecent > rateLast ? 'recent' : 'month';
  const atLastRate = Math.max(rateLast, rateRecent) * cal.daysNext;
  const fc = extras.forecast;
  const ahead = fc && atLastRate > 0 ? fc.yhat / atLastRate - 1 : null;
  // a seasonal-naive forecast is last year's month-to-month change: its uncertainty is that of last year's counts;
  // a model forecast is judged against last month's count
  const f = !fc
    ? NO_RISE
    : fc.source === 'seasonal_naive' && fc.basis
      ? riseComponent(fc.yhat, atLastRate, fc.basis.next, fc.basis.now, cfg.full.forecast, { ...cfg, zMin: seasonZMin })
      : riseComponent(fc.yhat, atLastRate, Math.max(1, fc.yhat), Math.max(1, m.n_last), cfg.full.forecast, cfg);
  const excess = Math.max(y.comp > 0 ? y.excess : 0, mo.comp > 0 ? mo.excess : 0, f.comp > 0 ? f.excess : 0);

  const cityRepeatRate = city.n_last > 0 ? city.n_repeat_last / (city.n_last + city.n_oos_last) : 0;
  const repeatRate = shrunkRate(m.n_repeat_last, m.n_last + m.n_oos_last, cityRepeatRate, cfg.shrink);
  const cityUnsatRate = city.n_closed_last > 0 ? city.n_unsat_last / city.n_closed_last : null;
  const unsatRate =
    cityUnsatRate !== null ? shrunkRate(m.n_unsat_last, m.n_closed_last, cityUnsatRate, cfg.shrink) : null;
  const total = m.n_last + m.n_oos_last;
  const outOfScopeShare = total > 0 ? m.n_oos_last / total : 0;

  const volumeFull = Math.max(1, city.n_last * cfg.full.volumeShare);
  const components: Record<Component, number> = {
    yoy: y.comp,
    mom: mo.comp,
    forecast: f.comp,
    excess: excess > 0 ? clamp01(Math.log1p(excess) / Math.log1p(Math.max(1, city.n_last * cfg.full.excessShare))) : 0,
    volume: clamp01(Math.log1p(m.n_last) / Math.log1p(volumeFull)),
    hotspot: extras.hotShare === null ? 0 : clamp01(extras.hotShare / cfg.full.hotspot),
    // a rate at the city's average scores 0.5, twice the average or more scores 1
    repeat: cityRepeatRate > 0 ? clamp01(repeatRate / (2 * cityRepeatRate)) : 0,
    dissatisfaction: cityUnsatRate && unsatRate !== null ? clamp01(unsatRate / (2 * cityUnsatRate)) : 0,
    structural: extras.structural === null ? 0 : clamp01(extras.structural / cfg.full.structural),
    alerts: extras.alerts > 0 ? 1 : 0,
  };
  return {
    derived: {
      mom,
      lyMom,
      lyMomPlain,
      lyAligned: Boolean(cal.pairAlignedOn),
      momAdjusted,
      aheadBase,
      yoy,
      cityGrowth,
      yoyAdjusted,
      zYoy: y.z,
      zMom: mo.z,
      ahead,
      excess,
      repeatRate,
      cityRepeatRate,
      unsatRate,
      cityUnsatRate,
      outOfScopeShare,
    },
    components,
  };
}

export function weightedScore(components: Record<Component, number>, weights: TopicsConfig['weights']): number {
  let s = 0;
  let w = 0;
  for (const k of Object.keys(weights) as Component[]) {
    s += weights[k] * (components[k] ?? 0);
    w += weights[k];
  }
  return w > 0 ? s / w : 0;
}

/**
 * Score every category and decide which may be proposed. Gates, in order: excluded by config; mostly out of scope;
 * too small; no rise (a routine category that is simply large); and for a level-1 category, a rise that is not
 * broad (fewer than two rising level-2 categories, or less than broadShare of its volume in them: then the level-2
 * category is the topic).
 */
export function scoreAll(
  rows: readonly CategoryMetrics[],
  extras: (category: string) => Extras,
  cal: Calendar,
  cfg: TopicsConfig,
): Scored[] {
  const city = rows.find((r) => r.level === 0) ?? emptyCity();
  const cats = rows.filter((r): r is Scored['metrics'] => r.level !== 0 && r.category !== null && r.cat1 !== null);
  const withExtras = cats.map((m) => ({ m, ex: extras(m.category) }));
  const seasonZ = seasonZMin(withExtras.filter((c) => c.ex.forecast?.source === 'seasonal_naive').length, cfg.zMin);
  const scored: Scored[] = withExtras.map(({ m, ex }) => {
    const { derived, components } = derive(m, city, ex, cal, cfg, seasonZ);
    return {
      metrics: m,
      extras: ex,
      derived,
      components,
      score: round(weightedScore(components, cfg.weights)),
      eligible: true,
      excludedWhy: null,
    };
  });
  const excluded = new Set(cfg.exclude);
  for (const s of scored) {
    const { category, cat1 } = s.metrics;
    const rise = Math.max(s.components.yoy, s.components.mom, s.components.forecast);
    // a small category counts only if a confident wave ahead will make it large
    const forecastN = s.components.forecast > 0 ? (s.extras.forecast?.yhat ?? 0) : 0;
    let why: ExclusionReason | null = null;
    if (excluded.has(category) || excluded.has(cat1)) why = 'excluded_by_config';
    else if (s.derived.outOfScopeShare > cfg.maxOutOfScopeShare) why = 'out_of_scope';
    else if (s.metrics.n_last < cfg.minOrders && forecastN < cfg.minOrders) why = 'too_small';
    else if (rise < cfg.minRise) why = 'routine';
    s.excludedWhy = why;
    s.eligible = why === null;
  }
  for (const s of scored.filter((x) => x.metrics.level === 1 && x.eligible)) {
    const children = scored.filter((c) => c.metrics.level === 2 && c.metrics.cat1 === s.metrics.category);
    const volume = children.reduce((a, c) => a + c.metrics.n_last, 0);
    const risingChildren = children.filter(
      (c) => (c.derived.yoyAdjusted ?? -Infinity) >= cfg.childRise || c.components.forecast >= cfg.minRise,
    );
    const rising = risingChildren.reduce((a, c) => a + c.metrics.n_last, 0);
    // one rising child is that child's topic, however large its share of the 大类
    if (children.length > 0 && (risingChildren.length < 2 || volume === 0 || rising / volume < cfg.broadShare)) {
      s.eligible = false;
      s.excludedWhy = 'not_broad';
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.metrics.category.localeCompare(b.metrics.category));
}

/** The top eligible categories, skipping one whose parent or child is already chosen (one topic, not two). */
export function pickCandidates(scored: Scored[], n: number): Scored[] {
  const picked: Scored[] = [];
  for (const s of scored) {
    if (!s.eligible) continue;
    const overlaps = picked.some((p) => p.metrics.category === s.metrics.cat1 || s.metrics.category === p.metrics.cat1);
    if (overlaps) {
      s.excludedWhy = 'covered';
      continue;
    }
    if (picked.length < n) picked.push(s);
  }
  return picked;
}

function emptyCity(): CategoryMetrics {
  return {
    level: 0,
    category: null,
    cat1: null,
    n_last: 0,
    n_prev: 0,
    n_ly: 0,
    n_ly_next: 0,
    n_oos_last: 0,
    n_repeat_last: 0,
    n_unsat_last: 0,
    n_closed_last: 0,
  };
}
