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
  rows: number;
}

interface WeekRow {
  unit: string;
  week: number;
  n: number;
  n_repeat: number;
}

/** Weeks −1 … −weeksPre are the pre period, the weeksHistory before them the history, 0 … weeksPost−1 the post. */
function toSeries(
  rows: WeekRow[],
  key: 'n' | 'n_repeat',
  weeksPre: number,
  weeksPost: number,
  weeksHistory: number,
): Map<string, UnitSeries> {
  const out = new Map<string, UnitSeries>();
  for (const r of rows) {
    let s = out.get(r.unit);
    if (!s) {
      s = { unit: r.unit, pre: new Array<number>(weeksPre).fill(0), post: new Array<number>(weeksPost).fill(0) };
      if (weeksHistory > 0) s.history = new Array<number>(weeksHistory).fill(0);
      out.set(r.unit, s);
    }
    if (r.week < 0 && -r.week <= weeksPre) s.pre[weeksPre + r.week] += r[key];
    else if (r.week < 0 && s.history && -r.week <= weeksPre + weeksHistory)
      s.history[weeksPre + weeksHistory + r.week] += r[key];
    else if (r.week >= 0 && r.week < weeksPost) s.post[r.week] += r[key];
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

/** One subject's periods: pre (and the history before it, as far as the store reaches), action, post. */
interface Periods {
  weeksPre: number;
  weeksPost: number;
  weeksHistory: number;
  preStart: string;
  window: { category: string; pre_start: string; action_start: string; action_end: string; post_end: string };
  base: Omit<EffectRow, 'measure' | 'method' | 'treated_n' | 'control_n' | 'result' | 'details'>;
}

/** The subject's periods, or null while fewer than minPostWeeks weeks have passed since its action ended. */
function periodsOf(s: Subject, e: AssignConfig['effect'], asOf: string, firstDay: string | null): Periods | null {
  const weeksPost = Math.min(e.maxPostWeeks, Math.floor(daysBetween(s.action_end, asOf) / 7));
  if (weeksPost < e.minPostWeeks) return null;
  const weeksPre = e.preWeeks;
  const preStart = addDays(s.action_start, -7 * weeksPre);
  // history for matching controls reaches back only as far as the store does
  const reach = firstDay ? Math.floor(daysBetween(firstDay, preStart) / 7) : 0;
  const reachable = Math.min(e.historyWeeks, reach);
  const weeksHistory = reachable >= MIN_HISTORY_WEEKS ? reachable : 0;
  const postEnd = addDays(s.action_end, 7 * weeksPost);
  return {
    weeksPre,
    weeksPost,
    weeksHistory,
    preStart,
    window: {
      category: s.category,
      pre_start: addDays(preStart, -7 * weeksHistory),
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
  // units under any other open or finished item of the category are not clean controls
  const otherTreated = new Set(
    (
      await store.all<{ k: string }>(
        sql(s.subject_kind === 'topic' ? 'assign/effect_other_streets.sql' : 'assign/effect_other_cells.sql'),
        { c: s.category, as_of: asOf },
      )
    ).map((r) => r.k),
  );
  const weekRows = await store.all<WeekRow>(sql(spatial), p.window);
  // controls are matched once, on the category's counts, and serve both measures: repeats are too sparse a
  // series to match controls on by themselves (docs/assign.md has the figures)
  const counts = toSeries(weekRows, 'n', p.weeksPre, p.weeksPost, p.weeksHistory);
  const matched = matchControls(
    [...counts.values()].filter((u) => treatedKeys.has(u.unit)),
    [...counts.values()].filter((u) => !treatedKeys.has(u.unit) && !otherTreated.has(u.unit)),
    e.matchFactor,
    e.maxControls,
  ).map((u) => u.unit);
  const rows: EffectRow[] = [];
  for (const measure of ['n', 'n_repeat'] as const) {
    const series = measure === 'n' ? counts : toSeries(weekRows, measure, p.weeksPre, p.weeksPost, p.weeksHistory);
    const treated = [...series.values()].filter((u) => treatedKeys.has(u.unit));
    const controls = matched.map((k) => series.get(k)!);
    if (treated.length === 0 || controls.length === 0) continue;
    const result = differenceInDifferences(treated, controls, {
      bootstrap: e.bootstrap,
      seed: seedOf(s.subject_id + measure),
    });
    // a handful of orders before the action cannot show a change after it
    if (!result || result.treatedPre * p.weeksPre < e.minPreOrders) continue;
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
    action_start: s.action_start,
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
  for (const s of subjects) {
    const p = periodsOf(s, e, asOf, firstDay);
    if (!p) continue;
    const found = await didRows(store, s, p, e, asOf);
    const fc = s.subject_kind === 'topic' ? await forecastRow(store, s, p) : null;
    if (fc) found.push(fc);
    rows.push(...found);
    if (found.length > 0) measured++;
  }
  return {
    rows,
    summary: { subjects: subjects.length, measured, pending: subjects.length - measured, rows: rows.length },
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
