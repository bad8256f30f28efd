import { MultivariateLinearRegression } from 'ml-regression';
import type { ForecastConfig } from './config.js';
import type { Holiday } from './calendar.js';
import type { FeatureSpec } from './features.js';
import { directForecast } from './direct.js';
import { fitPoisson, predictPoisson } from './glm.js';
import { nbQuantile } from './nb.js';
import { conformalDispersion } from './calibrate.js';
import { etsForecast } from './ets.js';
import { combSa, etsLog } from './comb.js';
import {
  dampedTrend,
  dampedTrendFit,
  forecastCap,
  seasonalDamped,
  seasonalIndex,
  seasonalTheta,
  theta,
} from './smooth.js';

/** A weekly series: y[i] is the count of the week starting at day number start + 7i; complete weeks only. */
export interface Weekly {
  start: number;
  y: number[];
}

/**
 * glm: Poisson regression on the calendar (robust: bursts down-weighted); glm_level: it rescaled to the last weeks;
 * damped: damped-trend smoothing; theta: the Theta method; direct: per-horizon regression of the log growth on
 * momentum and the past seasons' course (direct.ts); seasonal_index: robust seasonal indices × today's level;
 * seasonal_damped / seasonal_theta: damped trend / Theta on the seasonally adjusted series (stlf's recipe); snaive:
 * the week a year before; combo: the mean of direct, damped, snaive and seasonal_index (combinations win
 * competitions: M4); mean: the last 8 weeks. snaive_growth is no longer fitted (it copied last year's one-off bursts
 * forward) but stays readable in stored forecasts. rate: a category without a complete week of history, its
 * daily rate over the days the data covers (short-history.ts).
 */
export type ModelName =
  | 'glm'
  | 'glm_level'
  | 'damped'
  | 'theta'
  | 'seasonal_index'
  | 'seasonal_damped'
  | 'seasonal_theta'
  | 'comb_sa'
  | 'ets_log'
  | 'direct'
  | 'ets'
  | 'blend'
  | 'snaive'
  | 'combo'
  | 'snaive_growth'
  | 'mean'
  | 'zero'
  | 'rate';

export interface Point {
  /** Day number of the week start. */
  week: number;
  yhat: number;
  lo: number;
  hi: number;
}

export interface SeriesForecast {
  model: ModelName;
  points: Point[];
  historyWeeks: number;
  /** Dispersion per horizon used for the interval. */
  alpha: number[];
  /**
   * Dispersion of a 4-week total: from the chosen model's backtest errors on 4-week sums, which keeps the weeks'
   * correlated errors (a month's range is neither the sum of weekly bounds nor independent weeks).
   */
  alphaMonth: number;
  /** Mean absolute error per horizon of the chosen model at the selection origins (NaN if none). */
  selectionMae: number;
  /**
   * The last 4 weeks' orders over what the model, fitted before them, expected (null: not measured — too few
   * orders, too short, or the Spring Festival season). Below 1/levelShiftMinFactor the series runs under its usual
   * course, and a wave of its usual course is not warned of (surge.ts).
   */
  tracking?: number | null;
  /**
   * Set when the last weeks broke away from the model: the forecast is the model rescaled to their level (for a
   * momentum model judged against the calendar model, the mean of its own forecast and that rescaled one).
   */
  levelShift?: LevelShift;
}

export interface LevelShift {
  /** Day number of the first week of the new level. */
  since: number;
  /** Weeks compared. */
  weeks: number;
  /** Their orders over what the model (fitted before them) expected: the forecast's multiplier. */
  factor: number;
}

export interface ModelContext {
  cfg: ForecastConfig;
  spec: FeatureSpec;
  /** The holidays of the `calendar` setting (empty under `none`). */
  holidays?: Holiday[];
}

/**
 * What one backtest origin's fits hand the next (older) one: the regression's coefficients (a start near the
 * optimum) and the ETS form chosen at the latest origin.
 */
export interface Warm {
  beta?: number[];
  etsForm?: number;
  etsLogForm?: number;
}

/** Most recent weeks a regression is trained on: enough years to average the wave, few enough to stay current. */
const MAX_TRAIN = 260;
/** A regression with annual terms needs more than a year to pin the wave down. */
const MIN_GLM = 60;
const MIN_SNAIVE = 60;
/** Fewer weeks than this: the mean of what there is. */
const MIN_WEEKS = 8;
/**
 * Selection origins (latest first) whose errors size the interval: the last 40 weeks. A year of origins chooses the
 * model; sized on the older ones too, the band was as wide as last year's errors (92% coverage on a synthetic city).
 */
const DISPERSION_ORIGINS = 10;
/** Rolling origins a model needs to be compared at all. */
const MIN_ORIGINS = 3;

function sum(a: number[], from: number, to: number): number {
  let s = 0;
  for (let i = Math.max(0, from); i < to; i++) s += a[i];
  return s;
}

/** Point forecasts of every candidate that the history supports, for horizons 1..h from the end of `s`. */
export function candidateForecasts(
  s: Weekly,
  h: number,
  ctx: ModelContext,
  warm?: Warm,
): Partial<Record<ModelName, number[]>> {
  const n = s.y.length;
  const out: Partial<Record<ModelName, number[]>> = {};
  const meanWindow = Math.min(n, 8);
  const mean = meanWindow > 0 ? sum(s.y, n - meanWindow, n) / meanWindow : 0;
  out.mean = new Array<number>(h).fill(mean);
  if (n >= MIN_WEEKS) {
    out.damped = dampedTrend(s.y, h);
    out.theta = theta(s.y, h);
  }
  const si = n >= MIN_SNAIVE ? seasonalIndex(s.y, h) : null;
  if (si) out.seasonal_index = si;
  const sd = n >= MIN_SNAIVE ? seasonalDamped(s.y, h) : null;
  if (sd) out.seasonal_damped = sd;
  const st = n >= MIN_SNAIVE ? seasonalTheta(s.y, h) : null;
  if (st) out.seasonal_theta = st;
  const ets = etsForecast(s.y, h, warm);
  if (ets) out.ets = ets;
  mComb(s.y, h, out, warm);
  const direct = directForecast(s.y, h);
  if (direct) out.direct = direct;
  if (n >= MIN_SNAIVE) out.snaive = Array.from({ length: h }, (_, k) => s.y[n - 52 + (k % 52)]);
  if (n >= MIN_GLM) Object.assign(out, glmCandidates(s, h, ctx, warm));
  const parts = COMBO.map((m) => out[m]).filter((f): f is number[] => !!f);
  if (parts.length >= 3)
    out.combo = Array.from({ length: h }, (_, k) => parts.reduce((a, f) => a + f[k], 0) / parts.length);
  return capped(out, forecastCap(s.y));
}

/** Every path clipped at `cap` (smooth.ts forecastCap): no model forecasts past what the window's weeks reached. */
function capped(out: Partial<Record<ModelName, number[]>>, cap: number): Partial<Record<ModelName, number[]>> {
  for (const [m, f] of Object.entries(out) as Array<[ModelName, number[]]>) out[m] = f.map((v) => Math.min(v, cap));
  return out;
}

/** M4's Comb on the seasonally adjusted series, and ETS on the log scale (comb.ts): two more parts of the blend. */
function mComb(y: number[], h: number, out: Partial<Record<ModelName, number[]>>, warm?: Warm): void {
  const cs = combSa(y, h);
  if (cs) out.comb_sa = cs;
  const lw = warm ? { etsForm: warm.etsLogForm } : undefined;
  const el = etsLog(y, h, lw);
  if (el) out.ets_log = el;
  if (warm && lw) warm.etsLogForm = lw.etsForm;
}

/** The combination (M4's lesson: a mean of unlike models beats each): momentum and season, trend, season alone. */
const COMBO: ModelName[] = ['direct', 'damped', 'snaive', 'seasonal_index'];

/**
 * The models a store's series may take as their default, chosen once for the store over all its series (pooled):
 * ten origins of one series are few to choose by, a store's hundred series are not. The choice is between the
 * calendar regressions (a city whose waves follow its calendar: the demo city) and the per-series blend of
 * everything else; the momentum and seasonal models are the blend's parts, weighted per series, not the store's
 * choice (chosen for a whole store at one origin, combo copied the usual influenza wave into a winter without one).
 */
export const POOLED_DEFAULTS: ModelName[] = ['blend', 'glm', 'glm_level'];

/** Standardised Anscombe residual above which a week is down-weighted (Farrington: Noufaily et al. 2013). */
const ROBUST_Z = 2.58;

/**
 * The calendar regression, fitted robustly: after a first fit, weeks whose standardised Anscombe residual s exceeds
 * 2.58 get weight s^-2 and the model is refitted (Farrington's reweighting) — a one-off burst no longer lifts the
 * wave fitted for that week of every year. glm_level: the fit rescaled by how far the last 4 weeks ran above or
 * below it, half-applied and bounded.
 */
function glmCandidates(s: Weekly, h: number, ctx: ModelContext, warm?: Warm): Partial<Record<ModelName, number[]>> {
  const n = s.y.length;
  const from = Math.max(0, n - MAX_TRAIN);
  const origin = s.start + 7 * n;
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = from; i < n; i++) {
    x.push(ctx.spec.row(s.start + 7 * i, origin));
    y.push(s.y[i]);
  }
  if (!y.some((v) => v > 0)) return {};
  const opts = { ridge: ctx.cfg.ridge, unpenalized: ctx.spec.unpenalized };
  let fit = fitPoisson(x, y, { ...opts, start: warm?.beta });
  const weights = robustWeights(y, fit.fitted, x[0].length);
  if (weights) fit = fitPoisson(x, y, { ...opts, weights, start: fit.beta });
  if (warm) warm.beta = fit.beta;
  const glm = Array.from({ length: h }, (_, k) => predictPoisson(fit.beta, ctx.spec.row(origin + 7 * k, origin)));
  const m = fit.fitted.length;
  const ratio = (sum(y, m - 4, m) + 1) / (sum(fit.fitted, m - 4, m) + 1);
  const f = Math.min(1.5, Math.max(0.67, Math.sqrt(ratio)));
  return { glm, glm_level: glm.map((v) => v * f) };
}

/** Farrington weights (s^-2 above ROBUST_Z, 1 below), or null when no week is that far out. */
function robustWeights(y: number[], mu: number[], p: number): number[] | null {
  const r = y.map((v, i) => (1.5 * (Math.cbrt(v * v) - Math.cbrt(mu[i] * mu[i]))) / Math.max(1e-6, mu[i] ** (1 / 6)));
  const phi = Math.max(1, r.reduce((a, v) => a + v * v, 0) / Math.max(1, y.length - p));
  const sd = Math.sqrt(phi);
  let any = false;
  const w = r.map((v) => {
    const z = v / sd;
    if (z <= ROBUST_Z) return 1;
    any = true;
    return 1 / (z * z);
  });
  return any ? w : null;
}

export interface Scored {
  model: ModelName;
  mae: number;
  /** [horizon index][pairs of (actual, forecast)] */
  errors: Array<Array<[number, number]>>;
  /** blend only: the weight of each of its models at the series' end. */
  weights?: Array<[ModelName, number]>;
  /** (actual, forecast) of its first RECENT weeks from the origin RECENT weeks before the end (the blend's weights). */
  recent?: Array<[number, number]>;
}

/**
 * The blend: six unlike models — the direct regression (the season's course and momentum), ETS (today's level and
 * trend), ETS on the log scale, M4's Comb on the seasonally adjusted series, the calendar regression and combo —
 * weighted by the inverse of each one's mean squared error over the latest weeks it could be checked on (Bates &
 * Granger's combination, on a short window, per series; recentWeights): when a season breaks from its course (an
 * epidemic that does not come) the weight moves to the level-following models within weeks, where a year of origins
 * keeps choosing the seasonal one. Round 4's blend had two parts (direct, ETS) and competed in the store's pooled choice
 * with its own parts; the pooled choice then took combo or the damped trend for a whole store at one origin
 * (influenza regions in the winter of 2020–21: 1.49 × ETS; docs/forecast.md, round 5).
 */
const BLEND: ModelName[] = ['direct', 'ets', 'combo', 'glm', 'comb_sa', 'ets_log'];
/** The parts whose own bands the blend's band is never narrower than (widestPart). */
const BLEND_BAND: ModelName[] = ['direct', 'ets'];
const BLEND_ORIGINS = 2;
/**
 * Weeks between the selection origins, and how many weeks the latest part-seen origin holds: the blend's weights
 * read the origin RECENT weeks before the one they weigh for (its first RECENT weeks have come) and the one 2 ×
 * RECENT weeks before (all its weeks have come).
 */
const RECENT = 4;

/** Inverse mean squared error of each part over its (actual, forecast) pairs, normalised (equal when one has none). */
function inverseMse(pairs: Array<Array<[number, number]>>): number[] {
  const w = pairs.map((ps) => {
    if (ps.length === 0) return NaN;
    const sq = ps.reduce((a, [x, f]) => a + (x - f) ** 2, 0);
    return sq > 0 ? ps.length / sq : 1e12;
  });
  if (w.some((v) => Number.isNaN(v))) return pairs.map(() => 1 / pairs.length);
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/** Weights of the blend's parts: inverse mean squared error at origins from..from+BLEND_ORIGINS−1 (equal when none). */
function blendWeights(parts: Scored[], from: number, hh: number): number[] {
  return inverseMse(parts.map((sc) => sc.errors.slice(0, hh).flatMap((e) => e.slice(from, from + BLEND_ORIGINS))));
}

/**
 * The blend's weights from the latest weeks each part could be checked on: the origin RECENT weeks older (its first
 * RECENT weeks) and the one 2 × RECENT weeks older (all hh weeks). `recent(p)`: part p's pairs of the first.
 * Weights from two fully seen origins 8 and 12 weeks old moved off a broken part 4 weeks later: at the real series'
 * development origins (influenza seasons that did not come) 1.027 / 1.013 × ETS at 1–4 / 1–8 weeks before,
 * 0.998 / 0.980 with the weeks 4 weeks old (docs/forecast.md, round 6).
 */
function recentWeights(
  parts: Scored[],
  recent: (p: Scored) => Array<[number, number]>,
  full: number,
  hh: number,
): number[] {
  return inverseMse(parts.map((p) => [...recent(p), ...p.errors.slice(0, hh).flatMap((e) => e.slice(full, full + 1))]));
}

/**
 * The blend's backtest: at selection origin i the weights come from origins before it whose weeks had come by
 * origin i (i+1: its first RECENT weeks; i+2: all), as they would have been at that time; its weights today from
 * the weeks since the latest origins (Scored.recent) and the latest origin. Its parts are those of BLEND the
 * history supports (scored at MIN_ORIGINS origins at least), two at the least. With hh ≤ RECENT (or no recent
 * errors) the weights come from origins i+2 and i+3 and, today, 0 and 1.
 */
function blendScore(scores: Map<ModelName, Scored>, h: number, hh: number): Scored | null {
  const parts = BLEND.map((m) => scores.get(m)).filter((p): p is Scored => !!p && p.errors[0].length >= MIN_ORIGINS);
  if (parts.length < 2) return null;
  const origins = Math.min(...parts.map((p) => p.errors[0].length));
  const seen = hh > RECENT;
  const errors: Array<Array<[number, number]>> = Array.from({ length: h }, () => []);
  for (let o = 0; o + 2 < origins; o++) {
    const w = seen
      ? recentWeights(parts, (p) => p.errors.slice(0, RECENT).map((e) => e[o + 1]), o + 2, hh)
      : blendWeights(parts, o + 2, hh);
    for (let j = 0; j < h; j++) {
      if (!parts.every((p) => o < p.errors[j].length)) continue;
      errors[j].push([parts[0].errors[j][o][0], parts.reduce((a, p, q) => a + w[q] * p.errors[j][o][1], 0)]);
    }
  }
  if (errors[0].length === 0) return null;
  const w =
    seen && parts.every((p) => p.recent?.length)
      ? recentWeights(parts, (p) => p.recent!, 0, hh)
      : blendWeights(parts, 0, hh);
  return { model: 'blend', mae: 0, errors, weights: parts.map((p, q) => [p.model, w[q]]) };
}

/**
 * The blend's band is never narrower than either part's own (its dispersion per horizon, the larger of its and its
 * parts' backtest dispersions): its weights can move from one part to the other within two origins, so the band
 * must hold either being right. Sized on its own backtest, a year in which one part fitted well (influenza that did
 * not come: ETS) left it too narrow for the season that came back (70 % coverage).
 */
function widestPart(ranked: Scored[], alpha: number[], h: number, y: number[]): number[] {
  let out = alpha;
  for (const m of BLEND_BAND) {
    const part = ranked.find((sc) => sc.model === m);
    if (!part) continue;
    const own = dispersion(
      part.errors.map((e) => e.slice(0, DISPERSION_ORIGINS)),
      h,
      recentDispersion(y),
    );
    out = out.map((a, k) => Math.max(a, own[k]));
  }
  return out;
}

/** A model's forecast among the candidates': the blend as its weights combine its parts. */
function forecastOf(
  cands: Partial<Record<ModelName, number[]>>,
  model: ModelName,
  weights?: Array<[ModelName, number]>,
): number[] | undefined {
  if (model !== 'blend') return cands[model];
  if (!weights || !weights.every(([m]) => cands[m])) return undefined;
  const len = cands[weights[0][0]]!.length;
  return Array.from({ length: len }, (_, k) => weights.reduce((a, [m, w]) => a + w * cands[m]![k], 0));
}

/**
 * Rolling-origin evaluation inside the history: at origins 4 weeks apart ending `h` weeks before the end, every
 * candidate forecasts what the series did next. The winner is the model with the lowest mean absolute error.
 */
function select(s: Weekly, h: number, ctx: ModelContext, warm: Warm): Scored[] {
  const n = s.y.length;
  const hh = Math.min(h, 8);
  const scores = new Map<ModelName, Scored>();
  for (let k = 0; k < ctx.cfg.selectionOrigins; k++) {
    const o = n - hh - 4 * k;
    if (o < MIN_WEEKS) break;
    const cands = candidateForecasts({ start: s.start, y: s.y.slice(0, o) }, h, ctx, warm);
    for (const [name, f] of Object.entries(cands) as Array<[ModelName, number[]]>) {
      const sc = scores.get(name) ?? { model: name, mae: 0, errors: Array.from({ length: h }, () => []) };
      for (let j = 0; j < h && o + j < n; j++) sc.errors[j].push([s.y[o + j], f[j]]);
      scores.set(name, sc);
    }
  }
  if (hh > RECENT) recentErrors(s, scores, ctx, warm);
  // Models are compared on the same origins: the latest ones that every model with at least MIN_ORIGINS of them
  // was scored on. (Keeping only the models scored on the most origins shut the seasonal ones out until the oldest
  // origin had a year of history, ~105 weeks, and a city with 1–2 years got a flat mean through its flood season.)
  const blend = blendScore(scores, h, hh);
  if (blend) scores.set('blend', blend);
  const allowed = ctx.cfg.candidates;
  const all = [...scores.values()].filter((sc) => !allowed || allowed.includes(sc.model));
  const most = Math.max(0, ...all.map((sc) => sc.errors[0].length));
  const out = all.filter((sc) => sc.errors[0].length >= Math.min(MIN_ORIGINS, most));
  const common = Math.min(...out.map((sc) => sc.errors[0].length));
  for (const sc of out) {
    let abs = 0,
      cnt = 0;
    // origins were visited latest first, so the first `common` entries of each horizon are the shared ones
    for (let j = 0; j < hh; j++)
      for (const [a, f] of sc.errors[j].slice(0, common)) {
        abs += Math.abs(a - f);
        cnt++;
      }
    sc.mae = cnt ? abs / cnt : Infinity;
  }
  return out.sort((a, b) => a.mae - b.mae);
}

/** The blend's parts' forecasts from RECENT weeks before the end, against the weeks that came (Scored.recent). */
function recentErrors(s: Weekly, scores: Map<ModelName, Scored>, ctx: ModelContext, warm: Warm): void {
  const o = s.y.length - RECENT;
  if (o < MIN_WEEKS || !BLEND.some((m) => scores.has(m))) return;
  const cands = candidateForecasts({ start: s.start, y: s.y.slice(0, o) }, RECENT, ctx, warm);
  for (const m of BLEND) {
    const sc = scores.get(m);
    const f = cands[m];
    if (sc && f) sc.recent = f.map((v, j) => [s.y[o + j], v]);
  }
}

/** Models that may replace the store's default on one series when clearly better there (CALENDAR_MARGIN). */
const CALENDAR: ReadonlySet<ModelName> = new Set<ModelName>(['glm', 'glm_level']);
/** How far below the default's backtest error a calendar model's must be to replace it on a series. */
const CALENDAR_MARGIN = 0.7;

/**
 * The store's pooled default (`preferred`; then the blend, direct, the damped trend, whichever the series has) unless another model's
 * backtest error is clearly lower (below `margin` × the default's): a series' origins are few, and the best of a
 * dozen on them was often no better than the default on the weeks that came. Whatever `margin` says, a calendar
 * regression takes a series whose backtest it fits 30 % better than the default: in a city whose noisy series outnumber
 * its seasonal ones the store's default can be the blend while its heating and school waves follow the calendar
 * (demo city: 4 of 18 origins; on the real series no calendar model is ever that much better than the blend).
 */
function challengerOrDefault(ranked: Scored[], margin: number, preferred: ModelName): Scored | undefined {
  const def = [preferred, 'blend', 'direct', 'damped']
    .map((m) => ranked.find((sc) => sc.model === m))
    .find((sc) => !!sc);
  const best = ranked[0];
  if (!def || !best || best === def) return best;
  if (best.mae < margin * def.mae) return best;
  return ranked.find((sc) => CALENDAR.has(sc.model) && sc.mae < CALENDAR_MARGIN * def.mae) ?? def;
}

/**
 * Negative-binomial dispersion per horizon from the backtest errors (method of moments, pooled over nearby
 * horizons so a handful of origins gives a stable figure, and never shrinking as the horizon grows).
 */
function dispersion(errors: Array<Array<[number, number]>>, h: number, fallback: number): number[] {
  const alpha: number[] = [];
  for (let j = 0; j < h; j++) {
    let num = 0,
      den = 0,
      cnt = 0;
    for (let jj = Math.max(0, j - 2); jj <= Math.min(errors.length - 1, j + 2); jj++) {
      for (const [a, f] of errors[jj] ?? []) {
        const mu = Math.max(f, 0.1);
        num += (a - mu) ** 2 - mu;
        den += mu * mu;
        cnt++;
      }
    }
    const est = cnt >= 6 && den > 0 ? Math.max(0, num / den) : fallback;
    alpha.push(Math.max(est, j > 0 ? alpha[j - 1] : 0));
  }
  return alpha;
}

/**
 * Negative-binomial dispersion of 4-week totals (method of moments over the selection origins: the errors of one
 * origin at horizons 1–4 summed); `fallback` when fewer than 4 origins reach 4 weeks.
 */
function monthDispersion(errors: Array<Array<[number, number]>>, fallback: number): number {
  if (errors.length < 4) return fallback;
  const origins = Math.min(...errors.slice(0, 4).map((e) => e.length));
  if (origins < 4) return fallback;
  let num = 0,
    den = 0;
  for (let i = 0; i < origins; i++) {
    let a = 0,
      f = 0;
    for (let j = 0; j < 4; j++) {
      a += errors[j][i][0];
      f += Math.max(errors[j][i][1], 0.1);
    }
    num += (a - f) ** 2 - f;
    den += f * f;
  }
  return den > 0 ? Math.max(0, num / den) : fallback;
}

/** Dispersion of the recent weeks around their mean: the interval for series too short to backtest. */
function recentDispersion(y: number[]): number {
  const w = y.slice(-12);
  if (w.length < 2) return 0.5;
  const m = w.reduce((a, b) => a + b, 0) / w.length;
  if (m <= 0) return 0.5;
  const v = w.reduce((a, b) => a + (b - m) ** 2, 0) / (w.length - 1);
  return Math.max(0.05, (v - m) / (m * m)) * 1.5;
}

/** A series' candidates ranked by the rolling-origin backtest inside its history (null: too short to backtest). */
export interface Ranking {
  ranked: Scored[];
  warm: Warm;
}

export function rankSeries(s: Weekly, h: number, ctx: ModelContext): Ranking | null {
  if (s.y.length < MIN_WEEKS + 4 || s.y.every((v) => v === 0)) return null;
  const warm: Warm = {};
  return { ranked: select(s, h, ctx, warm), warm };
}

/**
 * The store's default model: of POOLED_DEFAULTS, the one with the lowest mean over the store's series of the log of
 * its backtest error relative to the damped trend's (scale-free, so a large series does not decide alone). A model
 * takes part when at least half the series that have the damped trend have it too (direct needs 120 weeks, the
 * regressions 60: a city with two years of data still chooses among what it has). 'direct' when no series can vote,
 * the damped trend when no model of the pool takes part.
 */
export function pooledDefault(rankings: Array<Ranking | null>): ModelName {
  const sums = new Map<ModelName, { log: number; n: number }>();
  let voters = 0;
  for (const r of rankings) {
    const ref = r?.ranked.find((sc) => sc.model === 'damped')?.mae ?? NaN;
    if (!r || !(Number.isFinite(ref) && ref > 0)) continue;
    voters++;
    for (const m of POOLED_DEFAULTS) {
      const mae = r.ranked.find((sc) => sc.model === m)?.mae ?? NaN;
      if (!(Number.isFinite(mae) && mae > 0)) continue;
      const acc = sums.get(m) ?? { log: 0, n: 0 };
      acc.log += Math.log(mae / ref);
      acc.n++;
      sums.set(m, acc);
    }
  }
  if (voters === 0) return 'direct';
  let best: ModelName = 'damped';
  // the best of the pool even where the damped trend (the yardstick) beats them all: falling back to the damped
  // trend there gave it 41 of the real series' 432 test forecasts, mostly influenza regions at one origin, where the
  // blend read better (influenza regions 0.950 → 0.937 × ETS at 1–8 weeks; docs/forecast.md, round 5)
  let bestMean = Infinity;
  for (const [m, acc] of sums) {
    if (acc.n < voters / 2) continue;
    const mean = acc.log / acc.n;
    if (mean < bestMean) [best, bestMean] = [m, mean];
  }
  return best;
}

/**
 * The calendar strength of a series with a clear yearly wave (seasonalStrength at least `seasonalStrength`, and
 * `seasonalMinWeekly` orders a week over the last year), else null.
 */
export function seasonalWave(s: Weekly, ctx: ModelContext): number | null {
  const strength = seasonalStrength(s, ctx.spec);
  const lastYear = s.y.slice(-52);
  const mean = lastYear.reduce((a, b) => a + b, 0) / Math.max(1, lastYear.length);
  return strength >= ctx.cfg.seasonalStrength && mean >= ctx.cfg.seasonalMinWeekly ? strength : null;
}

/**
 * Forecast a store's series together: each ranked by backtest, the default chosen pooled (pooledDefault), once over
 * the series with a clear yearly wave (seasonalWave) and once over the others, as the stage does (engine.ts).
 */
export function forecastPooled(series: Weekly[], h: number, ctx: ModelContext): SeriesForecast[] {
  const rankings = series.map((s) => rankSeries(s, h, ctx));
  const wave = series.map((s) => seasonalWave(s, ctx) !== null);
  const preferred = [false, true].map((w) => pooledDefault(rankings.filter((_, i) => wave[i] === w)));
  return series.map((s, i) => forecastSeries(s, h, ctx, { ranking: rankings[i], preferred: preferred[+wave[i]] }));
}

/**
 * Forecast one weekly series `h` weeks past its end, choosing the model by backtest: `preferred` (the store's
 * pooled default; alone: pooled over the series itself) unless another candidate is clearly better on this series.
 */
export function forecastSeries(
  s: Weekly,
  h: number,
  ctx: ModelContext,
  pre?: { ranking?: Ranking | null; preferred?: ModelName },
): SeriesForecast {
  const n = s.y.length;
  const origin = s.start + 7 * n;
  const weeks = Array.from({ length: h }, (_, k) => origin + 7 * k);
  if (n === 0 || s.y.every((v) => v === 0)) {
    return {
      model: 'zero',
      points: weeks.map((week) => ({ week, yhat: 0, lo: 0, hi: 0 })),
      historyWeeks: n,
      alpha: new Array<number>(h).fill(0),
      alphaMonth: 0,
      selectionMae: NaN,
    };
  }
  let model: ModelName = 'mean';
  let alpha: number[];
  const warm: Warm = {};
  let selectionMae = NaN;
  let alphaMonth: number;
  // the band shown; `alpha` (variance-based) stays the level-shift test's, whose thresholds were set with it
  let shown: number[] | undefined;
  let reference: ModelName = 'mean';
  let weights: Array<[ModelName, number]> | undefined;
  if (n < MIN_WEEKS + 4) {
    alpha = new Array<number>(h).fill(recentDispersion(s.y));
    alphaMonth = alpha[0];
  } else {
    const ranking = pre?.ranking ?? rankSeries(s, h, ctx);
    const ranked = ranking?.ranked ?? [];
    if (ranking?.warm.beta) warm.beta = ranking.warm.beta;
    // a series forecast alone is a store of one: its default is pooled over itself
    const preferred = pre?.preferred ?? pooledDefault([ranking]);
    const best = challengerOrDefault(ranked, ctx.cfg.challengerMargin, preferred);
    model = best?.model ?? 'mean';
    weights = best?.weights;
    reference = shiftReferenceModel(ranked, best);
    selectionMae = best?.mae ?? NaN;
    // the choice looks at a year of origins; the interval at the latest DISPERSION_ORIGINS: today's spread
    const recent = (best?.errors ?? []).map((e) => e.slice(0, DISPERSION_ORIGINS));
    alpha = varianceDispersion(recent, model, ranked, h, s.y);
    alphaMonth = monthDispersion(recent, alpha[Math.min(3, h - 1)]);
    // with enough backtest points the band shown is calibrated on them (the rules above are its fallback)
    shown = conformalDispersion(recent, h, ctx.cfg.coverage, alpha);
  }
  shown = noSuddenWidening(shown ?? alpha);
  const tail = (1 - ctx.cfg.coverage) / 2;
  const tested = levelShift(s, h, reference, alpha, tail, ctx, weights);
  const tracking = tested.tracking;
  // The blend is not rescaled against itself: its ETS part has moved to a new level within the weeks that showed
  // it, and its weights have moved to ETS; rescaling its forecast from before them counts the break twice. Against
  // the calendar model (shiftReferenceModel) the break is judged, and carried on, as for the other models.
  const shift = model === 'blend' && reference === 'blend' ? null : tested.shift;
  const yhat = pointForecast(s, h, ctx, warm, { model, reference, weights, shifted: shift?.yhat });
  const points = weeks.map((week, k) => {
    const mu = Math.max(0, yhat[k]);
    return { week, yhat: mu, ...band(mu, shown[k], tail) };
  });
  return {
    model,
    points,
    historyWeeks: n,
    alpha: shown,
    alphaMonth,
    selectionMae,
    tracking,
    ...(shift ? { levelShift: shift.shift } : {}),
  };
}

/**
 * The point forecast: the chosen model's own, or after a break in level (levelShift) the reference model rescaled.
 * A momentum model judged against the calendar model (shiftReferenceModel) takes the mean of its own forecast and
 * the rescaled calendar fit: it already follows the break at its own rate, and the rescaled fit is a bet that the
 * new level persists in full. That bet alone lost on every real source at the test and the development origins
 * (ILINet, NYC Council; docs/forecast.md); the mean of the two hedges it (M4's lesson: combine unlike forecasts).
 */
function pointForecast(
  s: Weekly,
  h: number,
  ctx: ModelContext,
  warm: Warm,
  o: { model: ModelName; reference: ModelName; weights?: Array<[ModelName, number]>; shifted?: number[] },
): number[] {
  // the rescaled forecast under the same cap as every model's own (candidateForecasts): forecastCap
  const cap = forecastCap(s.y);
  const shifted = o.shifted?.map((v) => Math.min(v, cap));
  if (shifted && o.reference === o.model) return shifted;
  const cands = candidateForecasts(s, h, ctx, warm);
  const own = (forecastOf(cands, o.model, o.weights) ?? cands.mean)!;
  return shifted ? own.map((v, k) => (v + shifted[k]) / 2) : own;
}

/**
 * The variance-based dispersion per horizon (method of moments on the recent backtest errors). For the damped trend
 * never below the model's own h-step spread (ten origins can all fall in a quiet stretch); for the blend never below
 * either part's.
 */
function varianceDispersion(
  recent: Array<Array<[number, number]>>,
  model: ModelName,
  ranked: Scored[],
  h: number,
  y: number[],
): number[] {
  const alpha = dispersion(recent, h, recentDispersion(y));
  if (model === 'damped') {
    const own = dampedTrendFit(y, h).dispersion;
    return alpha.map((a, k) => Math.max(a, own[k]));
  }
  return model === 'blend' ? widestPart(ranked, alpha, h, y) : alpha;
}

/**
 * The band never more than doubles its dispersion from one week to the next: earlier horizons are raised to half
 * the next one's. Each horizon is calibrated on the few backtest points of its neighbours, so a burst that only the
 * later horizons' points held made week 4's band 7× week 3's (人民网 三农, as of 2023-01-01): the spread week 4 shows
 * was already there at week 3. A random walk's bound, (k + 1)/k, raised the early weeks so much that 15 of 71 true
 * influenza surge warnings were lost (docs/forecast.md, Intervals).
 */
export function noSuddenWidening(alpha: number[]): number[] {
  const out = alpha.slice();
  for (let j = out.length - 2; j >= 0; j--) out[j] = Math.max(out[j], out[j + 1] / 2);
  return out;
}

/** The interval around mean mu. Integer quantiles of a tiny mean can sit on either side of it: it always holds mu. */
function band(mu: number, alpha: number, tail: number): { lo: number; hi: number } {
  return { lo: Math.min(mu, nbQuantile(mu, alpha, tail)), hi: Math.max(mu, nbQuantile(mu, alpha, 1 - tail)) };
}

/**
 * A break in level: every one of the last k complete weeks fell outside the chosen model's interval, on the same
 * side, as forecast from before them (a street's new problem tripling a category, a department fixing one). The
 * model learnt from years without that break; left alone it forecasts a return to the old level ("预测下降37%"
 * in the week the category tripled), which tells a leader the problem goes away by itself. Intervention analysis
 * takes the other stand: a shift persists until something changes it. So the forecast becomes the model as
 * fitted before those k weeks, carried on to the horizon and rescaled by their actual / expected ratio: the
 * seasonal shape stays, the level is today's. Under no change all k weeks land outside an 80% interval on one
 * side with probability about 2 × 0.1^k (2 in 10,000 for k = 4). Series of a few orders a week are left alone
 * (levelShiftMinWeekly): there the rescaling barely moves the forecast, but the flag would read like news.
 */
function levelShift(
  s: Weekly,
  h: number,
  model: ModelName,
  alpha: number[],
  tail: number,
  ctx: ModelContext,
  weights?: Array<[ModelName, number]>,
): { shift: { yhat: number[]; shift: LevelShift } | null; tracking: number | null } {
  const k = ctx.cfg.levelShiftWeeks;
  const first = shiftOver(s, h, model, alpha, tail, ctx, k, k, weights);
  const tracking = first.factor;
  if (first.shift || first.factor === null) return { shift: first.shift, tracking };
  // A break older than k weeks with one of its recent weeks inside a wide band (a ×1.6 rise eight weeks old, one
  // week at 191 against a band reaching 195) was never taken: the forecast then fell back to the old level and the
  // report said the category would drop 32%. Twice the window with all but two weeks outside on one side is as rare
  // under no change (about 2 × 28 × 0.1^6 ≈ 6 in 100,000); it is tried only when the k weeks already ran past the
  // factor, so quiet series pay no second fit.
  const min = ctx.cfg.levelShiftMinFactor;
  if (first.factor < min && first.factor > 1 / min) return { shift: null, tracking };
  return { shift: shiftOver(s, h, model, alpha, tail, ctx, 2 * k, 2 * k - 2, weights).shift, tracking };
}

/** The level-shift test over the last `k` weeks, `need` of them outside the band on one side; factor: actual / expected. */
function shiftOver(
  s: Weekly,
  h: number,
  model: ModelName,
  alpha: number[],
  tail: number,
  ctx: ModelContext,
  k: number,
  need: number,
  weights?: Array<[ModelName, number]>,
): { shift: { yhat: number[]; shift: LevelShift } | null; factor: number | null } {
  const none = { shift: null, factor: null };
  const n = s.y.length;
  if (k <= 0 || n < MIN_WEEKS + k) return none;
  // Around Spring Festival a misfit is the moving holiday (and the winter break that moves with it), not a new
  // level; a real shift there waits until the season ends.
  for (let j = n - k; j < n; j++) if (ctx.spec.festivalSeason(s.start + 7 * j)) return none;
  const before = candidateForecasts({ start: s.start, y: s.y.slice(0, n - k) }, k + h, ctx);
  const f = shiftReference(before, model, weights);
  let above = 0,
    below = 0,
    actual = 0,
    expected = 0;
  for (let j = 0; j < k; j++) {
    const mu = Math.max(0, f[j]);
    const a = alpha[Math.min(j, alpha.length - 1)] ?? 0;
    const y = s.y[n - k + j];
    const { lo, hi } = band(mu, a, tail);
    if (y > hi) above++;
    else if (y < lo) below++;
    actual += y;
    expected += mu;
  }
  if (Math.max(actual, expected) < ctx.cfg.levelShiftMinWeekly * k) return none;
  const factor = (actual + 1) / (expected + 1);
  if (above < need && below < need) return { shift: null, factor };
  const min = ctx.cfg.levelShiftMinFactor;
  if (factor < min && factor > 1 / min) return { shift: null, factor };
  // the side the weeks fell on must be the side the total moved to
  if (above >= need !== factor > 1) return { shift: null, factor };
  // Every model, smoothing ones included, is carried on from its fit before the break and rescaled: on real series
  // that beat both leaving a smoothing model to follow at its own rate (+3% MASE at 1–8 weeks) and taking the shape
  // from the calendar model (+4%).
  const since = s.start + 7 * (n - k);
  return { shift: { yhat: f.slice(k).map((v) => v * factor), shift: { since, weeks: k, factor } }, factor };
}

/**
 * Models that extrapolate the last weeks' momentum: from before a break they already half-follow it, so judged
 * against them the break's weeks fall partly inside the band, and rescaled they forecast a return to the old level.
 */
const MOMENTUM: ReadonlySet<ModelName> = new Set<ModelName>(['direct', 'combo', 'blend']);

/**
 * How far below glm's backtest error the chosen model's must be for glm's usual pattern to be judged wrong (the
 * default challenger margin; fixed, so a store that turns its challengers off keeps the same level-shift test).
 */
const SHIFT_REFERENCE_MARGIN = 0.7;

/**
 * The model the level-shift test and the shifted forecast use: the chosen one, unless it chases momentum — then
 * the calendar model glm, whose usual pattern does not follow the last weeks, so a break shows against it. Not
 * where the chosen model's backtest beat glm's by SHIFT_REFERENCE_MARGIN: there glm's "usual pattern" is itself
 * wrong (an epidemic wave whose timing moves each year) and four weeks off it are no break.
 */
function shiftReferenceModel(ranked: Scored[], best: Scored | undefined): ModelName {
  const margin = SHIFT_REFERENCE_MARGIN;
  if (!best) return 'mean';
  if (!MOMENTUM.has(best.model)) return best.model;
  const glm = ranked.find((sc) => sc.model === 'glm');
  return !glm || glm.mae * margin <= best.mae ? 'glm' : best.model;
}

/** The reference model's forecast from before the break, or the closest that the shorter history supports. */
function shiftReference(
  before: Partial<Record<ModelName, number[]>>,
  model: ModelName,
  weights?: Array<[ModelName, number]>,
): number[] {
  return forecastOf(before, model, weights) ?? before.damped ?? before.mean!;
}

/**
 * Strength of the calendar's seasons (0–1): the share of the variance of log counts, around a trend and the
 * holidays (the Spring Festival lull is in every category, so it makes none seasonal), that the model's seasonal
 * terms explain on the last three years — the annual Fourier terms, and the heating, flood and school-opening
 * windows. Fourier terms alone missed a school category: two sharp waves a year (September, late February) are
 * what its few harmonics smooth away. Weather columns are left out (they are the origin's, not the calendar's).
 * Below two years of history a series is not called seasonal.
 */
export function seasonalStrength(s: Weekly, spec: FeatureSpec): number {
  const n = s.y.length;
  if (n < 104) return 0;
  const from = Math.max(0, n - 156);
  const baseCols: number[] = [];
  const fullCols: number[] = [];
  spec.names.forEach((name, i) => {
    if (name === 'hdd' || name.startsWith('rain')) return;
    fullCols.push(i);
    if (name === 'const' || name === 'trend' || name.startsWith('sf_') || name === 'holiday') baseCols.push(i);
  });
  const rows: number[][] = [];
  const y: number[][] = [];
  for (let i = from; i < n; i++) {
    rows.push(spec.row(s.start + 7 * i, s.start + 7 * n));
    y.push([Math.log(s.y[i] + 1)]);
  }
  const rss = (cols: number[]): number => {
    const x = rows.map((r) => cols.map((c) => r[c]));
    const m = new MultivariateLinearRegression(x, y, { intercept: false, statistics: false });
    return x.reduce((a, r, i) => a + (y[i][0] - m.predict(r)[0]) ** 2, 0);
  };
  const base = rss(baseCols);
  if (base <= 1e-12) return 0;
  return Math.max(0, Math.min(1, 1 - rss(fullCols) / base));
}
