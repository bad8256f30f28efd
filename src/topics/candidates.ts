import type { Store } from '../store/db.js';
import { joinPlace } from '../store/place-names.js';
import type { UnitAssignment } from '../store/taxonomy.js';
import type { TopicsConfig } from './config.js';
import { gatherEvidence, typicalPool, type MonthEvidence } from './evidence.js';
import { monthWindows, type MonthWindows } from './month.js';
import { reasonSentences } from './reasons.js';
import {
  pickCandidates,
  scoreAll,
  SEASON_PSEUDO_COUNT,
  type Calendar,
  type Component,
  type Extras,
  type Scored,
} from './score.js';
import { typicalOrders, type TypicalOrder } from './typical.js';
import { pickAlternates, type Alternate } from './alternates.js';
import { suggestUnits } from './units.js';
import { addMonths, daysBetween, daysInMonth } from '../store/dates.js';
import { countedDays, WHOLE_MONTH } from '../store/data-end.js';

/** CONTRACT §4 evidence, plus the extra fields that let a reader check each number. */
export interface Evidence {
  orders_last_month: number;
  yoy: number | null;
  mom: number | null;
  forecast_next_month: number | null;
  root_causes: { tag: string; share: number }[];
  hotspots: string[];
  typical_orders: string[];
  orders_prev_month: number;
  orders_same_month_last_year: number | null;
  yoy_adjusted: number | null;
  /** 环比 with last year's change between the same two months taken out (null without that year). */
  mom_adjusted: number | null;
  city_growth: number | null;
  forecast_range: { lo: number; hi: number } | null;
  forecast_source: 'forecast' | 'seasonal_naive' | null;
  /** The forecast follows a recent break from the category's usual level, rescaled by this factor; null: no break. */
  forecast_level_shift: number | null;
  repeat_rate: number;
  city_repeat_rate: number;
  unsatisfied_rate: number | null;
  city_unsatisfied_rate: number | null;
  structural_share: number | null;
  hotspot_share: number | null;
  hotspot_as_of: string | null;
  alerts: { kind: string; scope: { level: string; name: string }; score: number; reason: string | null }[];
  handling_depts: { dept: string; share: number }[];
  typical_order_details: TypicalOrder[];
}

export interface Candidate {
  rank: number;
  category: string;
  level: 1 | 2;
  score: number;
  reasons: string[];
  evidence: Evidence;
  lead_unit: string | null;
  co_units: string[];
  components: Record<Component, number>;
}

export interface MonthTopics {
  month: string;
  as_of: string;
  candidates: Candidate[];
  /** 备选 when fewer than two categories passed the bar (src/topics/alternates.ts). */
  alternates: Alternate[];
  scored: Scored[];
  notes: string[];
}

const r3 = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);
const STRUCTURAL = '结构性';

function calendar(w: MonthWindows, ev: Pick<MonthEvidence, 'firstDay' | 'cutDay' | 'pair'>): Calendar {
  const { firstDay, cutDay, pair } = ev;
  // months counted up to the day the data reaches (metrics.sql $cut_day)
  const days = (m: number) => countedDays(addMonths(w.month, m), cutDay);
  return {
    daysLast: days(-1),
    daysPrev: days(-2),
    daysLy: days(-13),
    daysLyNext: daysInMonth(addMonths(w.month, -12)),
    daysNext: daysInMonth(w.month),
    hasPrev: firstDay !== null && firstDay <= w.prevStart,
    hasYearAgo: firstDay !== null && firstDay <= w.lyStart,
    daysLyPrev: daysBetween(pair.prevStart, pair.prevEnd),
    daysLyPair: daysBetween(pair.lastStart, pair.lastEnd),
    hasYearAgoPrev: firstDay !== null && firstDay <= pair.prevStart,
    pairAlignedOn: pair.alignedOn,
  };
}

function extrasFor(ev: MonthEvidence, cal: Calendar) {
  const byCat = new Map(ev.metrics.filter((m) => m.category).map((m) => [m.category as string, m]));
  return (category: string): Extras => {
    const m = byCat.get(category);
    const causes = ev.rootCauses.get(category) ?? [];
    const structural = causes.find((c) => c.tag === STRUCTURAL);
    const tagged = causes.length > 0;
    const hot = ev.hotspots.get(category);
    let forecast: Extras['forecast'] = null;
    const f = ev.forecasts.get(category);
    // Only a seasonal model tells of a coming wave. A flat one (the mean of the last 8 weeks, chosen when the history
    // is too short for a seasonal one) made "季节性高峰将至" of a month that only sat below its last 8 weeks; a
    // trend model (damped, theta: stored seasonal = false) carries the last weeks on, which 环比 and the trend alerts
    // already weigh. Last year's month-to-month change, below, is then the better guess; without a year of history
    // there is none. A model that follows a level shift keeps its forecast: it says where the new level stands.
    const flat = f !== undefined && (f.model === 'mean' || f.model === 'zero' || f.seasonal === false) && !f.levelShift;
    if (f && f.covered >= 14 && !flat) {
      const scale = cal.daysNext / f.covered;
      forecast = {
        yhat: f.yhat * scale,
        lo: f.lo * scale,
        hi: f.hi * scale,
        source: 'forecast',
        levelShift: f.levelShift,
      };
    } else if (m && cal.hasYearAgo && m.n_ly > 0 && m.n_last > 0) {
      // seasonal naive: last month's rate times last year's change from this month to the next, with a small
      // pseudo-count so that a handful of orders a year ago cannot imply a tenfold wave
      const k = SEASON_PSEUDO_COUNT;
      const ratio = (m.n_ly_next + k) / cal.daysLyNext / ((m.n_ly + k) / cal.daysLy);
      forecast = {
        yhat: (m.n_last / cal.daysLast) * ratio * cal.daysNext,
        lo: null,
        hi: null,
        source: 'seasonal_naive',
        basis: { now: m.n_ly + k, next: m.n_ly_next + k },
      };
    }
    const alerts = ev.alerts.filter(
      (a) =>
        (a.category === category || a.category.startsWith(category + '/')) &&
        (a.scope_level === 'city' || a.scope_level === 'district'),
    ).length;
    return {
      structural: tagged && m && m.n_last > 0 ? (structural?.n ?? 0) / m.n_last : null,
      hotShare: ev.hotspotAsOf ? (hot?.share ?? 0) : null,
      forecast,
      alerts,
    };
  };
}

/** The data stopped before last month began: not one of its orders is in the store. */
const noLastMonth = (ev: Pick<MonthEvidence, 'lastDay' | 'cutDay'>) => ev.lastDay !== null && ev.cutDay === 0;

function notesFor(ev: MonthEvidence, cal: Calendar): string[] {
  // with no order before the month nothing else can be said: notes on missing forecasts or tags would read as if
  // the month had been weighed without them
  if (ev.firstDay === null) return ['库中没有该月之前的工单，无法生成议题。'];
  // likewise a month replayed after the data stopped: nothing of last month was weighed (Konstanz, 2023-03)
  if (noLastMonth(ev)) return [`上月没有任何工单入库（最新工单日期为${ev.lastDay}），无法评价上月。`];
  const notes: string[] = [];
  if (!cal.hasYearAgo) notes.push('历史数据不足13个月，无法计算同比，也无法按去年同期推算季节高峰。');
  if (!cal.hasPrev) notes.push('历史数据不足2个月，无法计算环比。');
  if (ev.lastDay && ev.cutDay < WHOLE_MONTH) {
    const missing = daysInMonth(ev.lastDay.slice(0, 7)) - ev.cutDay;
    notes.push(
      `工单数据只到${ev.lastDay}，上月最后${missing}天尚未入库：上月按前${ev.cutDay}天计算，环比、同比也取各月前${ev.cutDay}天。`,
    );
  }
  if (ev.forecasts.size === 0) notes.push('未找到本月预测结果，“本月预测”改按去年同期季节规律推算。');
  if (!ev.hotspotAsOf) notes.push('未找到近期热点区块结果，热点集中度未计入评分。');
  if (ev.rootCauses.size === 0) notes.push('上月工单尚无根因标签，结构性根因未计入评分。');
  return notes;
}

/** What one candidate needs beyond its scored row: the month's evidence and the city's units. */
interface CandidateInputs {
  store: Store;
  ev: MonthEvidence;
  cal: Calendar;
  cfg: TopicsConfig;
  units: Record<string, UnitAssignment>;
  cityName: string;
}

/** One scored category as a candidate: reasons, evidence (CONTRACT §4 plus checks), units and typical orders. */
async function buildCandidate(s: Scored, rank: number, x: CandidateInputs): Promise<Candidate> {
  const { ev, cfg } = x;
  const category = s.metrics.category;
  const n = Math.max(1, s.metrics.n_last);
  const causes = (ev.rootCauses.get(category) ?? [])
    .filter((c) => c.tag !== STRUCTURAL)
    .map((c) => ({ tag: c.tag, share: r3(c.n / n) as number }))
    .sort((a, b) => b.share - a.share || a.tag.localeCompare(b.tag));
  const hot = ev.hotspots.get(category);
  const cells = hot?.cells ?? [];
  const catAlerts = ev.alerts.filter((a) => a.category === category || a.category.startsWith(category + '/'));
  const handled = ev.depts.get(category) ?? [];
  const typical = typicalOrders(await typicalPool(x.store, category, cfg.typicalPool), cfg.typicalOrders);
  const u = suggestUnits(category, s.metrics.cat1, x.units, handled);
  const reasons = reasonSentences(s, {
    cityName: x.cityName,
    rootCauses: causes.filter((c) => cfg.structuralTags.includes(c.tag)),
    structuralShare: s.extras.structural,
    hotspots: cells,
    hotCells: hot?.count ?? 0,
    alertReasons: catAlerts.map((a) => a.reason).filter((r): r is string => Boolean(r)),
  });
  return {
    rank,
    category,
    level: s.metrics.level,
    score: s.score,
    reasons,
    evidence: {
      ...figures(s, x.cal),
      root_causes: causes,
      hotspots: cells,
      typical_orders: typical.map((t) => excerpt(t, cfg.excerptChars)),
      hotspot_as_of: ev.hotspotAsOf,
      alerts: catAlerts.slice(0, 5).map((a) => ({
        kind: a.kind,
        scope: { level: a.scope_level, name: a.scope_name },
        score: r3(a.score) as number,
        reason: a.reason,
      })),
      handling_depts: handled.map((h) => ({ dept: h.dept, share: r3(h.share) as number })),
      typical_order_details: typical,
    },
    lead_unit: u.lead,
    co_units: u.co,
    components: Object.fromEntries(Object.entries(s.components).map(([k, v]) => [k, r3(v) as number])) as Record<
      Component,
      number
    >,
  };
}

type Figures = Omit<
  Evidence,
  | 'root_causes'
  | 'hotspots'
  | 'typical_orders'
  | 'hotspot_as_of'
  | 'alerts'
  | 'handling_depts'
  | 'typical_order_details'
>;

/** The candidate's measured figures, rounded as stored. */
function figures(s: Scored, cal: Calendar): Figures {
  const f = s.extras.forecast;
  const d = s.derived;
  return {
    orders_last_month: s.metrics.n_last,
    yoy: r3(d.yoy),
    mom: r3(d.mom),
    mom_adjusted: r3(d.momAdjusted),
    forecast_next_month: f ? Math.round(f.yhat) : null,
    orders_prev_month: s.metrics.n_prev,
    orders_same_month_last_year: cal.hasYearAgo ? s.metrics.n_ly : null,
    yoy_adjusted: r3(d.yoyAdjusted),
    city_growth: r3(d.cityGrowth),
    forecast_range: f && f.lo !== null && f.hi !== null ? { lo: Math.round(f.lo), hi: Math.round(f.hi) } : null,
    forecast_source: f?.source ?? null,
    forecast_level_shift: f?.levelShift ? Math.round(f.levelShift * 100) / 100 : null,
    repeat_rate: r3(d.repeatRate) as number,
    city_repeat_rate: r3(d.cityRepeatRate) as number,
    unsatisfied_rate: r3(d.unsatRate),
    city_unsatisfied_rate: r3(d.cityUnsatRate),
    structural_share: r3(s.extras.structural),
    hotspot_share: r3(s.extras.hotShare),
  };
}

/** Score the month's categories and build the candidates with reasons, evidence, units and typical orders. */
export async function computeTopics(
  store: Store,
  month: string,
  cfg: TopicsConfig,
  units: Record<string, UnitAssignment>,
  cityName: string,
  springFestivals: ReadonlyMap<number, string> = new Map(),
): Promise<MonthTopics> {
  const w = monthWindows(month);
  const ev = await gatherEvidence(store, w, cfg, springFestivals);
  const cal = calendar(w, ev);
  const scored = scoreAll(ev.metrics, extrasFor(ev, cal), cal, cfg);
  const picked = pickCandidates(scored, cfg.candidates);
  const inputs: CandidateInputs = { store, ev, cal, cfg, units, cityName };
  const candidates: Candidate[] = [];
  for (const [i, s] of picked.entries()) candidates.push(await buildCandidate(s, i + 1, inputs));
  const alternates = ev.firstDay === null ? [] : pickAlternates(scored, picked, cfg, cityName);
  const notes = notesFor(ev, cal);
  if (ev.firstDay !== null && !noLastMonth(ev) && candidates.length < Math.min(2, cfg.candidates)) {
    notes.push(
      (candidates.length === 0
        ? '本月没有符合条件（有明显上升或高峰将至）的类别，未以常年量大的类别补足'
        : `本月符合条件（有明显上升或高峰将至）的类别只有${candidates.length}个，未以常年量大的类别补足`) +
        (alternates.length ? `；另列${alternates.length}个备选，并说明其较弱之处。` : '。'),
    );
  }
  await store.exec('DROP TABLE IF EXISTS topic_orders');
  return { month, as_of: w.asOf, candidates, alternates, scored, notes };
}

/**
 * "【2025-07-16 南湖区翠湖街道】…": a typical order as a leader reads it. Runs of blanks, tabs and line breaks are one
 * space (a web board's detail field comes indented with tabs and blank lines, which ate the excerpt's characters and
 * broke the report's quote lines), and two Latin place names keep a space between them.
 */
export function excerpt(t: Pick<TypicalOrder, 'day' | 'district' | 'street' | 'content'>, chars: number): string {
  const place = joinPlace([t.district, t.street]);
  return `【${t.day}${place ? ' ' + place : ''}】${cutText(t.content.replace(/\s+/g, ' ').trim(), chars)}`;
}

/**
 * A text cut to `chars` characters (code points, so an emoji is never halved). A text without Chinese characters is
 * cut at the last space before the limit: the Konstanz report quoted "…es besteht eine sehr hohe Unfallgefa…".
 */
function cutText(flat: string, chars: number): string {
  const cps = Array.from(flat);
  if (cps.length <= chars) return flat;
  const head = cps.slice(0, chars).join('');
  if (/\p{Script=Han}/u.test(head) || cps[chars] === ' ') return head + '…';
  const space = head.lastIndexOf(' ');
  return (space > 0 ? head.slice(0, space).replace(/[\s&,/-]+$/, '') : head) + '…';
}
