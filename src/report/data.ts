import { addDays, addMonths } from '../store/dates.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { dataEnd, monthCutDay } from '../store/data-end.js';
import { emptyDayRuns, type EmptyRun } from '../store/empty-days.js';

/** One candidate as the report shows it (the stored CONTRACT §4 candidate). */
export interface ReportCandidate {
  rank: number;
  category: string;
  level: number;
  score: number;
  reasons: string[];
  evidence: {
    orders_last_month: number;
    yoy: number | null;
    mom: number | null;
    forecast_next_month: number | null;
    root_causes: { tag: string; share: number }[];
    hotspots: string[];
    typical_orders: string[];
    yoy_adjusted?: number | null;
    mom_adjusted?: number | null;
    forecast_source?: string | null;
    forecast_level_shift?: number | null;
    forecast_range?: { lo: number; hi: number } | null;
    handling_depts?: { dept: string; share: number }[];
    /** The counts behind 环比 and 同比 (null: no such month in the data). */
    orders_prev_month?: number | null;
    orders_same_month_last_year?: number | null;
  };
  lead_unit: string | null;
  co_units: string[];
  selected: boolean;
  selected_by: string | null;
}

export interface WeekPoint {
  week: string;
  n: number;
  n_last_year: number | null;
}

export interface ForecastPoint {
  week: string;
  yhat: number;
  lo: number;
  hi: number;
}

export interface HotCell {
  cell: string;
  lon: number;
  lat: number;
  category: string;
  /** Orders of `category` in the cell in the window. */
  count: number;
  /** All orders in the cell in the same window. */
  all_count: number;
  z: number;
  kind: string;
  kinds: string;
  street: string | null;
  as_of: string;
  window_start: string | null;
  window_last: string | null;
  /** Hot cells in the snapshot (the rows are the strongest `limit` of them). */
  cells_total: number;
}

export interface TopicItems {
  month: string;
  category: string;
  /** 'auto' (the rank-1 candidate, no recorded choice), else who recorded the choice. */
  selected_by: string | null;
  items: number;
  city_items: number;
  street_items: number;
  grid_items: number;
  deadline: string;
  open_items: number;
  overdue_items: number;
}

export interface Overview {
  n_last: number;
  n_prev: number;
  n_ly: number;
  n_oos: number;
  n_repeat: number;
  n_unsat: number;
  n_closed: number;
  first_day: string | null;
}

export interface Quality {
  n: number;
  unplaced: number;
  /** Orders with no street (placed by district or community name only, or not at all). */
  no_street: number;
  /** Orders whose coordinates lie outside every boundary polygon. */
  outside: number;
  no_dept: number;
  /** Orders with a satisfaction rating (满意度) at all: none means the export carries no ratings. */
  n_rated: number;
  /** Orders with a caller, coordinates, an address or a community: none means repeats cannot be told. */
  n_keyed: number;
  last_order_day: string | null;
  first_order_day: string | null;
  quarantined: number;
  /** Some order has a hotspot cell (usable coordinates): false for an export without coordinates. */
  any_cell: boolean;
  /** Runs of last month's days without a single order inside the data's span (sql/store/empty_days.sql). */
  empty_runs?: EmptyRun[];
  /** Orders with a cell created in the hotspot window before the as-of. */
  window_cells: number;
  /** Cells the latest hotspot stage of the report's five weeks tested; null when none ran. */
  hotspot_cells_tested: number | null;
}

export interface EffectRow {
  subject_kind: string;
  subject_id: string;
  category: string;
  lead_unit: string | null;
  measure: string;
  method: string;
  action_start: string;
  action_end: string;
  effect_pct: number | null;
  pct_lo: number | null;
  pct_hi: number | null;
  significant: boolean;
  summary: string;
  effect: number | null;
  effect_lo: number | null;
  effect_hi: number | null;
  /** Comparable untreated streets or cells behind a DiD measure (0 for the forecast measure). */
  control_n: number;
  /** Orders a week of the treated streets or cells before and after, and expected after without the work. */
  treated_pre?: number | null;
  treated_post?: number | null;
  counterfactual?: number | null;
  /** A hotspot item's street (or district) and H3 cell, from its assignment. */
  place?: string | null;
  cell?: string | null;
}

/** All measured items of a kind together (sql/report/effects_pooled.sql). */
export interface PooledEffectRow {
  subject_kind: string;
  measure: string;
  items: number;
  treated_post: number;
  counterfactual: number;
  effect_pct: number;
  pct_lo: number;
  pct_hi: number;
  significant_declines: number;
  significant_rises: number;
}

export interface ScorecardRow {
  month: string;
  unit: string;
  assigned: number;
  acknowledged_on_time: number;
  returned_on_time: number;
  checked_on_time: number;
  finished: number;
  verified: number;
  overdue: number;
  open: number;
  on_time_rate: number | null;
  effects_n: number;
  decline_pct: number | null;
  /** Standard error of decline_pct (null in stores written before it was kept). */
  decline_se?: number | null;
  significant_declines: number;
  /** Expected orders a week without the work over the unit's measured items: decline_pct's denominator. */
  base?: number | null;
}

export interface ReportData {
  month: string;
  asOf: string;
  /** The day of last month the data reaches (31: all of it; store/data-end.ts) and the last day with orders. */
  cutDay: number;
  lastDataDay: string | null;
  lastMonth: string;
  overview: Overview;
  /** name: the last stored level name shown on the chart (top_categories.sql), exact where it holds '/'. */
  topCategories: { category: string; name: string; n_last: number; n_ly: number | null }[];
  candidates: ReportCandidate[];
  topicNotes: string[];
  series: Map<string, WeekPoint[]>;
  forecasts: Map<string, ForecastPoint[]>;
  hotspots: HotCell[];
  /** null: the assign stage's tables do not exist in this store. */
  effects: EffectRow[] | null;
  pooledEffects: PooledEffectRow[];
  scorecard: ScorecardRow[] | null;
  /** Items assigned by this month's run: they enter the scorecard from next month. */
  assignedNow: number;
  /** Topics assigned for this month and earlier ones (sql/report/topic_items.sql); empty without the assign tables. */
  topicItems: TopicItems[];
  /** new_topic alerts raised last month or since (sql/report/new_topics.sql). */
  newTopics: { term: string; category: string; scope_name: string; reason: string; as_of: string }[];
  /** Rows the effect and scorecard tables list at most (config report.maxRows). */
  maxRows: number;
  /** How many candidates the topics config asks for (a shorter list is explained). */
  candidatesWanted: number;
  quality: Quality;
}

export async function tableExists(store: Store, name: string): Promise<boolean> {
  return Boolean(await store.value<boolean>(sql('report/table_exists.sql'), { name }));
}

type RawCandidate = Omit<ReportCandidate, 'reasons' | 'evidence' | 'co_units'> & {
  reasons: string;
  evidence: string;
  co_units: string | null;
};

/** The month's stored candidates, their JSON columns parsed, and the topic run's notes. */
async function loadCandidates(
  store: Store,
  month: string,
): Promise<{ candidates: ReportCandidate[]; notes: string[] }> {
  const raw = await store.all<RawCandidate>(sql('report/candidates.sql'), { month });
  const candidates: ReportCandidate[] = raw.map((r) => ({
    ...r,
    reasons: JSON.parse(r.reasons) as string[],
    evidence: JSON.parse(r.evidence) as ReportCandidate['evidence'],
    co_units: r.co_units ? (JSON.parse(r.co_units) as string[]) : [],
    selected_by: r.selected_by || null,
  }));
  const notesJson = (await tableExists(store, 'topic_runs'))
    ? await store.value<string | null>('SELECT notes::VARCHAR FROM topic_runs WHERE month = $month', { month })
    : null;
  return { candidates, notes: notesJson ? (JSON.parse(notesJson) as string[]) : [] };
}

/** Each candidate's weekly series over the chart's history and its forecast band. */
async function loadSeries(store: Store, candidates: ReportCandidate[], asOf: string, historyWeeks: number) {
  const from = new Date(Date.parse(asOf + 'T00:00:00Z') - historyWeeks * 7 * 86_400_000).toISOString().slice(0, 10);
  const series = new Map<string, WeekPoint[]>();
  const forecasts = new Map<string, ForecastPoint[]>();
  for (const c of candidates) {
    series.set(
      c.category,
      await store.all<WeekPoint>(sql('report/series.sql'), { category: c.category, from, as_of: asOf }),
    );
    forecasts.set(
      c.category,
      await store.all<ForecastPoint>(sql('report/forecast_band.sql'), { category: c.category, as_of: asOf }),
    );
  }
  return { series, forecasts };
}

/** What the assign stage's tables say (null or empty where a table does not exist in this store). */
async function loadAssignTables(store: Store, month: string, asOf: string) {
  const effects = (await tableExists(store, 'effects'))
    ? await store.all<EffectRow>(sql('report/effects.sql'), { as_of: asOf })
    : null;
  const pooledEffects = effects
    ? await store.all<PooledEffectRow>(sql('report/effects_pooled.sql'), { as_of: asOf })
    : [];
  const assign = await tableExists(store, 'assignments');
  const assignedNow = assign ? ((await store.value<number>(sql('report/assigned_now.sql'), { as_of: asOf })) ?? 0) : 0;
  const topicItems = assign ? await store.all<TopicItems>(sql('report/topic_items.sql'), { as_of: asOf, month }) : [];
  const scorecard = (await tableExists(store, 'scorecard'))
    ? await store.all<ScorecardRow>(sql('report/scorecard.sql'), { as_of: asOf, month })
    : null;
  return { effects, pooledEffects, assignedNow, topicItems, scorecard };
}

export async function loadReportData(
  store: Store,
  month: string,
  opts: { historyWeeks: number; mapCells: number; maxRows: number; candidatesWanted?: number; hotspotDays?: number },
): Promise<ReportData> {
  const asOf = `${month}-01`;
  const w = {
    as_of: asOf,
    last_start: `${addMonths(month, -1)}-01`,
    prev_start: `${addMonths(month, -2)}-01`,
    ly_start: `${addMonths(month, -13)}-01`,
    ly_end: `${addMonths(month, -12)}-01`,
  };
  // data that stopped inside last month: every monthly figure over the same first days (store/data-end.ts)
  const end = await dataEnd(store, asOf);
  const cutDay = monthCutDay(end, month, asOf);
  const overview = (await store.one<Overview>(sql('report/overview.sql'), { ...w, cut_day: cutDay })) as Overview;
  const topCategories = await store.all<{ category: string; name: string; n_last: number; n_ly: number | null }>(
    sql('report/top_categories.sql'),
    {
      as_of: asOf,
      last_start: w.last_start,
      ly_start: w.ly_start,
      ly_end: w.ly_end,
      limit: 8,
      cut_day: cutDay,
    },
  );
  const { candidates, notes } = await loadCandidates(store, month);
  const { series, forecasts } = await loadSeries(store, candidates, asOf, opts.historyWeeks);
  const hotspots = await store.all<HotCell>(sql('report/hotspots.sql'), { as_of: asOf, limit: opts.mapCells });
  const newTopics = await store.all<ReportData['newTopics'][number]>(sql('report/new_topics.sql'), {
    as_of: asOf,
    last_start: w.last_start,
  });
  const quality = (await store.one<Quality>(sql('report/quality.sql'), {
    as_of: asOf,
    last_start: w.last_start,
    hot_start: addDays(asOf, -(opts.hotspotDays ?? 28)),
  })) as Quality;
  quality.empty_runs = await emptyDayRuns(store, w.last_start, asOf);
  return {
    month,
    asOf,
    cutDay,
    lastDataDay: end.lastDay,
    lastMonth: addMonths(month, -1),
    overview,
    topCategories,
    candidates,
    topicNotes: notes,
    series,
    forecasts,
    hotspots,
    ...(await loadAssignTables(store, month, asOf)),
    candidatesWanted: opts.candidatesWanted ?? 3,
    maxRows: opts.maxRows,
    newTopics,
    quality,
  };
}
