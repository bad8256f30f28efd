import type { Store } from '../store/db.js';
import { addDays, daysBetween } from '../store/dates.js';
import { sql } from '../store/sql.js';
import type { AssignConfig } from './config.js';
import {
  differenceInDifferences,
  matchControls,
  MIN_HISTORY_WEEKS,
  percentOf,
  seedOf,
  type DidResult,
  type UnitSeries,
} from './did.js';

interface Subject {
  subject_kind: 'topic' | 'hotspot';
  subject_id: string;
  category: string;
  lead_unit: string | null;
  action_start: string;
  /** Where the evidence window that caused the item began, or null. */
  trigger_start: string | null;
  action_end: string;
  streets: string[];
  street_keys: string[];
  cells: string[];
  items: number;
  open_items: number;
}

export interface EffectRow {
  subject_kind: string;
  subject_id: string;
  category: string;
  lead_unit: string | null;
  measure: 'category' | 'cells' | 'repeat' | 'forecast';
  method: 'did' | 'forecast';
  action_start: string;
  action_end: string;
  pre_start: string;
  post_end: string;
  weeks_pre: number;
  weeks_post: number;
  treated_n: number;
  control_n: number;
  result: DidResult;
  details: Record<string, unknown>;
}

export interface EffectSummary {
  subjects: number;
  measured: number;
  pending: number;
  /** Finished subjects whose store holds fewer than MIN_CLEAN_PRE_WEEKS weeks before the rise that caused them. */
  withheld: number;
  rows: number;
}

/**
 * An item is assigned because its place rose, so the weeks of that rise are no baseline: the pre period ends where
 * the evidence window that caused the item began (at least TRIGGER_MIN_WEEKS before assignment), and the last
 * TRIGGER_MIN_WEEKS weeks before assignment, the level when assigned, form a second baseline, the "trigger" one.
 * Fewer clean pre weeks than MIN_CLEAN_PRE_WEEKS in the store: the effect is withheld.
 */
export const TRIGGER_MIN_WEEKS = 2;
export const MIN_CLEAN_PRE_WEEKS = 4;

interface WeekRow {
  unit: string;
  phase: 'pre' | 'trigger' | 'post';
  week: number;
  n: number;
  n_repeat: number;
}

/** A unit's weekly counts: pre, the history before it, the trigger weeks and the post weeks, each oldest first. */
interface PhasedSeries extends UnitSeries {
  trigger: number[];
}

/**
 * Pre weeks −1 … −weeksPre count back from the pre period's end, the weeksHistory before them are the history;
 * trigger weeks −1 … −weeksTrigger count back from assignment; post weeks 0 … weeksPost−1 from 办结.
 */
function toSeries(rows: WeekRow[], key: 'n' | 'n_repeat', p: Periods): Map<string, PhasedSeries> {
  const { weeksPre, weeksPost, weeksHistory, weeksTrigger } = p;
  const out = new Map<string, PhasedSeries>();
  const zeros = (n: number) => new Array<number>(n).fill(0);
  for (const r of rows) {
    let s = out.get(r.unit);
    if (!s) {
      s = { unit: r.unit, pre: zeros(weeksPre), post: zeros(weeksPost), trigger: zeros(weeksTrigger) };
      if (weeksHistory > 0) s.history = zeros(weeksHistory);
      out.set(r.unit, s);
    }
    if (r.phase === 'trigger') {
      if (-r.week <= weeksTrigger) s.trigger[weeksTrigger + r.week] += r[key];
    } else if (r.phase === 'pre') {
      if (-r.week <= weeksPre) s.pre[weeksPre + r.week] += r[key];
      else if (s.history && -r.week <= weeksPre + weeksHistory) s.history[weeksPre + weeksHistory + r.week] += r[key];
    } else if (r.week >= 0 && r.week < weeksPost) s.post[r.week] += r[key];
  }
  return out;
}

function pctText(x: number | null): string {
  return x === null ? '—' : `${x > 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
}

export function effectSummary(
  kind: string,
  category: string,
  measure: string,
  r: DidResult,
  significant: boolean,
): string {
  const what =
    {
      category: `${category}诉求`,
      cells: '热点区块内同类诉求',
      repeat: '重复诉求',
      forecast: `${category}诉求（对比预测）`,
    }[measure] ?? measure;
  const who = kind === 'topic' ? '专题整治后' : '热点处置后';
  const dir = r.effect < 0 ? '下降' : '上升';
  // the direction is in the word (下降/上升), so the size goes without a sign; the interval keeps its signs
  const pct =
    r.pct === null ? '' : `${(Math.abs(r.pct) * 100).toFixed(0)}%（95%区间 ${pctText(r.pctLo)}～${pctText(r.pctHi)}）`;
  return `${who}${what}每周${r.treatedPost.toFixed(1)}件，较无整治的预期${r.counterfactual.toFixed(1)}件${dir}${pct}${significant ? '' : '，尚不显著'}`;
}

/** One subject's periods: history, pre (clean of the rise that caused the item), trigger, action, post. */
interface Periods {
  weeksPre: number;
  weeksPost: number;
  weeksHistory: number;
  weeksTrigger: number;
  preStart: string;
  /** The pre period's end (excluded): where the trigger weeks begin. */
  preEnd: string;
  window: {
    category: string;
    pre_start: string;
    pre_end: string;
    action_start: string;
    action_end: string;
    post_end: string;
  };
  base: Omit<EffectRow, 'measure' | 'method' | 'treated_n' | 'control_n' | 'result' | 'details'>;
}

/**
 * The subject's periods; null while fewer than minPostWeeks weeks have passed since its action ended, 'withheld'
 * when the store holds fewer than MIN_CLEAN_PRE_WEEKS weeks before the rise that caused the item.
 */
function periodsOf(
  s: Subject,
  e: AssignConfig['effect'],
  asOf: string,
  firstDay: string | null,
): Periods | null | 'withheld' {
  const weeksPost = Math.min(e.maxPostWeeks, Math.floor(daysBetween(s.action_end, asOf) / 7));
  if (weeksPost < e.minPostWeeks) return null;
  // the trigger: the evidence window, and at least the last TRIGGER_MIN_WEEKS weeks before assignment
  const triggerDays = Math.max(
    7 * TRIGGER_MIN_WEEKS,
    s.trigger_start ? daysBetween(s.trigger_start, s.action_start) : 0,
  );
  // the level the place was at when assigned: the last weeks before it (the window's earlier weeks may predate the
  // rise, and their mean would understate a rise that goes on)
  const weeksTrigger = TRIGGER_MIN_WEEKS;
  const preEnd = addDays(s.action_start, -triggerDays);
  // weeks before the store's first day are no baseline (they would read as weeks of no orders)
  const cleanReach = firstDay ? Math.floor(daysBetween(firstDay, preEnd) / 7) : e.preWeeks;
  const weeksPre = Math.min(e.preWeeks, cleanReach);
  if (weeksPre < Math.min(MIN_CLEAN_PRE_WEEKS, e.preWeeks)) return 'withheld';
  const preStart = addDays(preEnd, -7 * weeksPre);
  // history for matching controls reaches back only as far as the store does
  const reach = firstDay ? Math.floor(daysBetween(firstDay, preStart) / 7) : 0;
  const reachable = Math.min(e.historyWeeks, reach);
  const weeksHistory = reachable >= MIN_HISTORY_WEEKS ? reachable : 0;
  const postEnd = addDays(s.action_end, 7 * weeksPost);
  return {
    weeksPre,
    weeksPost,
    weeksHistory,
    weeksTrigger,
    preStart,
    preEnd,
    window: {
      category: s.category,
      pre_start: addDays(preStart, -7 * weeksHistory),
      pre_end: preEnd,
      action_start: s.action_start,
      action_end: s.action_end,
      post_end: postEnd,
    },
    base: {
      subject_kind: s.subject_kind,
      subject_id: s.subject_id,
      category: s.category,
      lead_unit: s.lead_unit,
      action_start: s.action_start,
      action_end: s.action_end,
      pre_start: preStart,
      post_end: postEnd,
      weeks_pre: weeksPre,
      weeks_post: weeksPost,
    },
  };
}

/**
 * What would have happened without the action lies between the level before the rise (if the rise was passing) and
 * the level during it (if it would have gone on), so the effect is read against both: the estimate nearer no
 * change, and an interval spanning both intervals — a change counts only when it is clear against either baseline.
 */
export function bracketEffect(clean: DidResult, trigger: DidResult): DidResult & { baseline: 'pre' | 'trigger' } {
  const near = Math.abs(trigger.effect) < Math.abs(clean.effect) ? trigger : clean;
  const lo = Math.min(clean.lo, trigger.lo);
  const hi = Math.max(clean.hi, trigger.hi);
  const cf = near.counterfactual;
  return {
    ...near,
    lo,
    hi,
    pct: cf > 0 ? near.effect / cf : null,
    pctLo: cf > 0 ? Math.max(-1, lo / cf) : null,
    pctHi: cf > 0 ? hi / cf : null,
    baseline: near === trigger ? 'trigger' : 'pre',
  };
}

/**
 * The trigger baseline's interval. Its two to four weeks are too few to resample (t with 1 degree of freedom makes
 * it ±12 standard errors), so its half-width is the clean comparison's, which shares the post weeks, or the Poisson
 * one of its own estimate (as in did.ts) where that is wider.
 */
function triggerInterval(during: DidResult, clean: DidResult, p: Periods): DidResult {
  const cf = during.counterfactual;
  const poissonVar = cf / p.weeksPost + (during.treatedPre > 0 ? (cf * cf) / (during.treatedPre * p.weeksTrigger) : 0);
  const half = Math.max(clean.hi - clean.effect, 1.96 * Math.sqrt(poissonVar));
  return { ...during, lo: during.effect - half, hi: during.effect + half, ...percentOf(during.effect, half, cf) };
}

const sumOf = (units: UnitSeries[], pick: (u: PhasedSeries) => number[]): number =>
  units.reduce((a, u) => a + pick(u as PhasedSeries).reduce((x, y) => x + y, 0), 0);

/**
 * How clearly the treated units rose in the trigger weeks: their weekly mean there against their clean pre mean moved
 * as the controls moved between the two periods, as a Poisson z. Above RISE_Z (one-sided 5%) the bracket applies.
 */
export function riseZ(treated: UnitSeries[], controls: UnitSeries[]): number {
  const t = (u: PhasedSeries) => u.trigger;
  const pre = (u: PhasedSeries) => u.pre;
  const k = (treated[0] as PhasedSeries | undefined)?.trigger.length ?? 0;
  const w = treated[0]?.pre.length ?? 0;
  const cPre = sumOf(controls, pre) / Math.max(1, w);
  if (k === 0 || w === 0 || cPre <= 0) return 0;
  const expected = ((sumOf(treated, pre) / w) * (sumOf(controls, t) / k)) / cPre;
  const seen = sumOf(treated, t) / k;
  return (seen - expected) / Math.sqrt(Math.max(expected, 1 / k) / k);
}
export const RISE_Z = 1.645;

/** The untreated units of the category matched to the treated ones on their counts (pre period and history). */
async function matchedControls(
  store: Store,
  s: Subject,
  counts: Map<string, PhasedSeries>,
  treatedKeys: Set<string>,
  e: AssignConfig['effect'],
  asOf: string,
): Promise<string[]> {
  // units under any other open or finished item of the category are not clean controls
  const otherTreated = new Set(
    (
      await store.all<{ k: string }>(
        sql(s.subject_kind === 'topic' ? 'assign/effect_other_streets.sql' : 'assign/effect_other_cells.sql'),
        { c: s.category, as_of: asOf },
      )
    ).map((r) => r.k),
  );
  return matchControls(
    [...counts.values()].filter((u) => treatedKeys.has(u.unit)),
    [...counts.values()].filter((u) => !treatedKeys.has(u.unit) && !otherTreated.has(u.unit)),
    e.matchFactor,
    e.maxControls,
  ).map((u) => u.unit);
}

/** DiD on streets (topics) or cells (hotspots): same category, untreated, similar pre-period level; both measures. */
async function didRows(
  store: Store,
  s: Subject,
  p: Periods,
  e: AssignConfig['effect'],
  asOf: string,
): Promise<EffectRow[]> {
  const spatial = s.subject_kind === 'topic' ? 'assign/effect_street_weeks.sql' : 'assign/effect_cell_weeks.sql';
  const treatedKeys = new Set(s.subject_kind === 'topic' ? s.street_keys : s.cells);
  const weekRows = await store.all<WeekRow>(sql(spatial), p.window);
  // controls are matched once, on the category's counts, and serve both measures: repeats are too sparse a
  // series to match controls on by themselves (docs/assign.md has the figures)
  const counts = toSeries(weekRows, 'n', p);
  const matched = await matchedControls(store, s, counts, treatedKeys, e, asOf);
  // the item's orders decide whether the place rose before it: the repeat measure follows the count's answer
  const rise = riseZ(
    [...counts.values()].filter((u) => treatedKeys.has(u.unit)),
    matched.map((k) => counts.get(k)!),
  );
  const rose = rise > RISE_Z;
  const rows: EffectRow[] = [];
  for (const measure of ['n', 'n_repeat'] as const) {
    const series = measure === 'n' ? counts : toSeries(weekRows, measure, p);
    const treated = [...series.values()].filter((u) => treatedKeys.has(u.unit));
    const controls = matched.map((k) => series.get(k)!);
    if (treated.length === 0 || controls.length === 0) continue;
    const opts = { bootstrap: e.bootstrap, seed: seedOf(s.subject_id + measure) };
    const clean = differenceInDifferences(treated, controls, opts);
    // a handful of orders before the action cannot show a change after it
    if (!clean || clean.treatedPre * p.weeksPre < e.minPreOrders) continue;
    const asTrigger = (u: PhasedSeries): UnitSeries => ({ unit: u.unit, pre: u.trigger, post: u.post });
    const duringPoint = differenceInDifferences(treated.map(asTrigger), controls.map(asTrigger), opts);
    // without the trigger baseline (the controls had no order in those weeks) the bracket cannot be formed
    if (!duringPoint) continue;
    const during = triggerInterval(duringPoint, clean, p);
    const { baseline, ...result } = rose ? bracketEffect(clean, during) : { ...clean, baseline: 'pre' as const };
    rows.push({
      ...p.base,
      measure: measure === 'n_repeat' ? 'repeat' : s.subject_kind === 'topic' ? 'category' : 'cells',
      method: 'did',
      treated_n: treated.length,
      control_n: controls.length,
      result,
      details: {
        treated: treated.map((u) => u.unit),
        controls: controls.map((u) => u.unit),
        ...(s.open_items ? { open_items: s.open_items, items: s.items } : {}),
        matched_on:
          p.weeksHistory > 0 ? { pre_weeks: p.weeksPre, history_weeks: p.weeksHistory } : { pre_weeks: p.weeksPre },
        baseline,
        rise_z: Math.round(rise * 100) / 100,
        trigger: { start: p.preEnd, weeks: p.weeksTrigger, effect: during.effect, lo: during.lo, hi: during.hi },
        before_trigger: { effect: clean.effect, lo: clean.lo, hi: clean.hi },
      },
    });
  }
  return rows;
}

/** Topics: the category city-wide against the forecast issued before the action ended. */
async function forecastRow(store: Store, s: Subject, p: Periods): Promise<EffectRow | null> {
  const fw = await store.all<{ week_start: string; yhat: number; lo: number; hi: number; n: number; issued: string }>(
    sql('assign/effect_forecast_weeks.sql'),
    { category: s.category, action_end: s.action_end, post_end: p.window.post_end },
  );
  if (fw.length === 0) return null;
  const k = fw.length;
  const obs = fw.reduce((a, w) => a + w.n, 0) / k;
  const cf = fw.reduce((a, w) => a + w.yhat, 0) / k;
  // the forecast's 80% band gives each week's sd; the mean of k weeks has sd sqrt(Σsd²)/k
  const sd = Math.sqrt(fw.reduce((a, w) => a + ((w.hi - w.lo) / (2 * 1.2816)) ** 2, 0)) / k;
  const effect = obs - cf;
  const pre = await store.value<number>(sql('assign/effect_pre_weekly.sql'), {
    weeks: p.weeksPre,
    category: s.category,
    pre_start: p.preStart,
    pre_end: p.preEnd,
  });
  const result: DidResult = {
    treatedPre: pre ?? 0,
    treatedPost: obs,
    counterfactual: cf,
    effect,
    lo: effect - 1.96 * sd,
    hi: effect + 1.96 * sd,
    ...percentOf(effect, 1.96 * sd, cf),
  };
  return {
    ...p.base,
    weeks_post: k,
    measure: 'forecast',
    method: 'forecast',
    treated_n: 1,
    control_n: 0,
    result,
    details: { forecast_issued: fw[0].issued, weeks: fw.map((w) => w.week_start) },
  };
}

/** Effects of every measurable finished topic and hotspot as of asOf (see docs/assign.md for the method). */
export async function computeEffects(
  store: Store,
  cfg: AssignConfig,
  asOf: string,
): Promise<{ rows: EffectRow[]; summary: EffectSummary }> {
  const e = cfg.effect;
  const subjects = await store.all<Subject>(sql('assign/effect_subjects.sql'), {
    as_of: asOf,
    min_finished: e.minFinishedShare,
  });
  const rows: EffectRow[] = [];
  const firstDay = subjects.length
    ? ((await store.value<string>(`SELECT CAST(min(day) AS VARCHAR) FROM daily_counts`)) ?? null)
    : null;
  let measured = 0;
  let withheld = 0;
  for (const s of subjects) {
    const p = periodsOf(s, e, asOf, firstDay);
    if (p === 'withheld') withheld++;
    if (!p || p === 'withheld') continue;
    const found = await didRows(store, s, p, e, asOf);
    const fc = s.subject_kind === 'topic' ? await forecastRow(store, s, p) : null;
    if (fc) found.push(fc);
    rows.push(...found);
    if (found.length > 0) measured++;
  }
  return {
    rows,
    summary: {
      subjects: subjects.length,
      measured,
      pending: subjects.length - measured - withheld,
      withheld,
      rows: rows.length,
    },
  };
}

export async function writeEffects(store: Store, asOf: string, rows: EffectRow[]): Promise<void> {
  await store.exec('DELETE FROM effects WHERE as_of = $a::DATE', { a: asOf });
  for (const r of rows) {
    const x = r.result;
    const significant = x.lo > 0 || x.hi < 0;
    await store.exec(sql('assign/insert_effect.sql'), {
      as_of: asOf,
      kind: r.subject_kind,
      id: r.subject_id,
      category: r.category,
      lead: r.lead_unit,
      measure: r.measure,
      method: r.method,
      a0: r.action_start,
      a1: r.action_end,
      p0: r.pre_start,
      p1: r.post_end,
      wpre: r.weeks_pre,
      wpost: r.weeks_post,
      tn: r.treated_n,
      cn: r.control_n,
      tpre: x.treatedPre,
      tpost: x.treatedPost,
      cf: x.counterfactual,
      eff: x.effect,
      lo: x.lo,
      hi: x.hi,
      pct: x.pct,
      plo: x.pctLo,
      phi: x.pctHi,
      sig: significant,
      summary: effectSummary(r.subject_kind, r.category, r.measure, x, significant),
      details: JSON.stringify(r.details),
    });
  }
}

export async function writeScorecard(store: Store, cfg: AssignConfig, asOf: string): Promise<number> {
  const [, n] = await store.script(sql('assign/scorecard.sql'), {
    as_of: asOf,
    ack_hours: cfg.ackHours,
    verify_days: cfg.verifyDays,
  });
  return n ?? 0;
}
