import { addDays, addMonths, daysBetween, daysInMonth } from '../store/dates.js';
import { countedDays, WHOLE_MONTH } from '../store/data-end.js';
import { maskPersonal } from '../store/mask.js';
import { joinPlace } from '../store/place-names.js';
import { FALLBACK_TAG } from '../tag/lexicon.js';
import { MIN_PERCENT_BASE } from '../topics/reasons.js';
import type { EffectRow, ForecastPoint, PooledEffectRow, ReportCandidate, ReportData } from './data.js';
import { fdrCounts, ITEM_FDR, rowsToList, scorecardQ, withItemQ } from './effect-rows.js';
import { placeKey, shownCategory, type CellPlace, type ReportExtras, type SuddenRow } from './extras.js';
import { seriesCaption, seriesDrawn } from './charts.js';
import { change, int, monthLabel, pct } from './format.js';
import * as W from './wording.js';

export { EFFECT_HEAD, HOTSPOT_HEAD, SCORECARD_HEAD, SUDDEN_HEAD } from './wording.js';

const dateLabel = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const dayLabel = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

export interface CandidateCard {
  rank: number;
  category: string;
  score: string;
  /** '已选定（张主任）', '已自动交办', both, or null. */
  selected: string | null;
  reasons: string[];
  /** One figure per box: 同比 and 环比 are the plain per-day figures; the adjusted ones are in factNote. */
  facts: [string, string][];
  /** What the card's 同比/环比 mean, and the adjusted figures the score uses, named as such. */
  factNote: string;
  /** The named causes, largest first; the fallback tag (orders no cause was read from) is `unexplained`. */
  rootCauses: { tag: string; share: string; width: number }[];
  /** Share of the category's orders with no cause read, e.g. '20%'; null when none. */
  unexplained: string | null;
  /** Hotspot places in words (street, community, the address group most orders name) with counts. */
  hotspots: string[];
  typical: string[];
  lead: string;
  co: string;
  chartKey: string;
  /** The chart's caption, naming only the lines drawn. */
  chartCaption: string;
}

/** A category shown as 备选 (fewer than two passed the bar), with why it is weaker. */
export interface AlternateCard {
  rank: number;
  category: string;
  score: string;
  reasons: string[];
  weaker: string[];
}

/** What both renderers (HTML, Markdown) print: the report's words and numbers, decided once. */
export interface ReportDocument {
  title: string;
  subtitle: string;
  /** Set when any 回传 behind the report was simulated (the demo): printed at the top and in the sections it touches. */
  simulated: string | null;
  kpis: { label: string; value: string; note: string }[];
  summary: string[];
  /** The top-categories chart's caption: "与去年同月对比" only when the chart draws a year-earlier bar. */
  topChartCaption: string;
  candidates: CandidateCard[];
  alternates: AlternateCard[];
  alternatesIntro: string | null;
  candidatesEmpty: string | null;
  sudden: { intro: string; rows: string[][] };
  hotspotIntro: string;
  hotspotRows: string[][];
  /** pooled: one sentence per kind of item and measure; rows: items, the telling ones first, each with its note. */
  effects: { intro: string; pooled: string[]; rows: { cells: string[]; note: string }[] };
  scorecard: { intro: string; rows: string[][] };
  quality: string[];
  /** Method notes (statistics names allowed): the appendix after the body. */
  method: string[];
}

/** "近4周（11月3日—11月30日）": the window the hotspot snapshot counted. */
function hotWindow(h: { as_of: string; window_start: string | null; window_last: string | null }): string {
  if (!h.window_start || !h.window_last) return `截至${h.as_of}`;
  const weeks = Math.round((Date.parse(h.window_last) - Date.parse(h.window_start)) / 86_400_000 + 1) / 7;
  return `近${Number.isInteger(weeks) ? weeks : weeks.toFixed(1)}周（${dayLabel(h.window_start)}—${dayLabel(h.window_last)}）`;
}

/** "高新区解放街道康泰西里社区 永定大街一带": a cell in the words of its orders; never the cell id. */
export function placeText(p: CellPlace | undefined, fallback: string | null = null): string {
  if (!p) return fallback ?? '位置未能识别';
  const area = joinPlace([p.district, p.street, p.community]) || fallback;
  // a city without boundaries knows its cells only by the address their orders give: that alone names the place
  if (p.address && p.address_n > 1) return `${area ? area + ' ' : ''}${shortAddress(maskPersonal(p.address))}一带`;
  return area || '位置未能识别';
}

/**
 * An address group short enough for a table cell: 24 characters of Chinese, 40 of Latin text cut at the last space
 * before them, so "INTERSECTION of Exeter St & Boylston St" never ends inside a word ("Exeter S一带").
 */
function shortAddress(a: string): string {
  if (/\p{Script=Han}/u.test(a)) return a.slice(0, 24);
  if (a.length <= 40) return a;
  const cut = a.slice(0, 41).lastIndexOf(' ');
  return (cut > 0 ? a.slice(0, cut) : a.slice(0, 40)).replace(/[\s&,/-]+$/, '');
}

function unexplainedShare(causes: readonly { tag: string; share: number }[]): string | null {
  const share = causes.find((r) => r.tag === FALLBACK_TAG)?.share ?? 0;
  return share > 0 ? pct(share) : null;
}

/** The forecast box: one figure and how it was made; its band goes in the note under the boxes. */
function forecastText(e: ReportCandidate['evidence']): string {
  if (e.forecast_next_month === null) return '—';
  const how =
    e.forecast_source === 'seasonal_naive' ? '（按去年季节推算）' : e.forecast_level_shift ? '（按近期新水平）' : '';
  return `${int(e.forecast_next_month)}${how}`;
}

/** The adjusted 同比/环比 named as such and the forecast's band, before the definition (a box shows one figure). */
function factNote(e: ReportCandidate['evidence']): string {
  const adj: string[] = [];
  if (e.yoy_adjusted != null && e.yoy !== null) adj.push(`扣除全市总量增长后同比 ${change(e.yoy_adjusted)}`);
  // the adjusted 环比 only where the season moved it (a season that fell is not taken out: topics/score.ts)
  if (e.mom_adjusted != null && e.mom !== null && Math.abs(e.mom_adjusted - e.mom) >= 0.005)
    adj.push(`扣除季节变化后环比 ${change(e.mom_adjusted)}`);
  const band = e.forecast_range
    ? `本月预测的80%区间（各周之和）为${int(e.forecast_range.lo)}–${int(e.forecast_range.hi)}。`
    : '';
  return `${adj.length ? `${adj.join('，')}。` : ''}${band}${W.FACT_NOTE}`;
}

/** A candidate's badge: a recorded choice, an automatic assignment, or both (they are not exclusive). */
function badge(c: ReportCandidate, data: ReportData): string | null {
  const chosen = c.selected ? `已选定${c.selected_by ? `（${c.selected_by}）` : ''}` : null;
  const auto = data.topicItems.some(
    (t) => t.month === data.month && t.category === c.category && t.selected_by === 'auto',
  );
  return chosen && auto ? `${chosen}并已交办` : (chosen ?? (auto ? '已自动交办' : null));
}

/** A candidate's hotspot cells as places; adjacent cells with one name are one line with their orders summed. */
function cardPlaces(cells: readonly string[], category: string, x: ReportExtras): string[] {
  const byPlace = new Map<string, { n: number; cells: number }>();
  for (const cell of cells) {
    const p = x.places.get(placeKey(cell, category));
    const name = placeText(p);
    const m = byPlace.get(name) ?? { n: 0, cells: 0 };
    m.n += p?.n ?? 0;
    m.cells += 1;
    byPlace.set(name, m);
  }
  return [...byPlace].map(([name, m]) => `${name}（${m.cells > 1 ? `共${m.cells}个区块，` : ''}该类${int(m.n)}件）`);
}

function candidateCard(c: ReportCandidate, data: ReportData, x: ReportExtras): CandidateCard {
  const e = c.evidence;
  return {
    rank: c.rank,
    category: shownCategory(c.category, x),
    score: c.score.toFixed(2),
    selected: badge(c, data),
    reasons: c.reasons.map(maskPersonal),
    facts: [
      ['上月件数', int(e.orders_last_month)],
      // the same rule as the reason line above it (topics' MIN_PERCENT_BASE): a few orders give counts, not "+1450%"
      ['同比（日均）', factChange(e.yoy, e.orders_same_month_last_year, e.orders_last_month)],
      ['环比（日均）', factChange(e.mom, e.orders_prev_month, e.orders_last_month)],
      ['本月预测', forecastText(e)],
    ],
    factNote: factNote(e),
    // 其他 is no cause: listed among them it read as the largest one on a city whose wording the tagger cannot read
    rootCauses: e.root_causes
      .filter((r) => r.tag !== FALLBACK_TAG)
      .slice(0, 5)
      .map((r) => ({ tag: r.tag, share: pct(r.share), width: Math.round(Math.min(1, r.share) * 100) })),
    unexplained: unexplainedShare(e.root_causes),
    hotspots: cardPlaces(e.hotspots, c.category, x),
    typical: e.typical_orders.map(maskPersonal),
    lead: c.lead_unit ?? '（待定）',
    co: c.co_units.join('、') || '—',
    chartKey: `series-${c.rank}`,
    chartCaption: seriesCaption(seriesDrawn(data.series.get(c.category) ?? [], chartForecast(c, data), data.asOf)),
  };
}

/**
 * The weekly forecast a candidate's chart draws: only the model's whose month sum is the card's 本月预测. When the
 * topics stage took last year's seasonal change instead (or gave none, the model being flat or a trend), the model's
 * line told another number: a generated city's April card said 本月预测 203 (按去年季节推算) over a line summing to
 * about 150; the month had 199.
 */
export function chartForecast(c: ReportCandidate, data: Pick<ReportData, 'forecasts'>): ForecastPoint[] {
  return c.evidence.forecast_source === 'forecast' ? (data.forecasts.get(c.category) ?? []) : [];
}

/** The city's month in figures: per-day rates, as the candidates' 同比/环比 are (overview.sql $cut_day). */
function overviewFigures(data: ReportData) {
  const o = data.overview;
  const days = (m: string) => countedDays(m, data.cutDay);
  const dLast = days(data.lastMonth);
  // a month compared against must be covered from its first day: an export that began on the 27th of the month
  // before last holds 4 of its 30 days, and its per-day rate would read as a sixfold rise
  const covered = (m: string) => o.first_day !== null && o.first_day <= `${m}-01`;
  const prev = addMonths(data.lastMonth, -1);
  const ly = addMonths(data.lastMonth, -12);
  return {
    yoy: o.n_ly > 0 && covered(ly) ? o.n_last / dLast / (o.n_ly / days(ly)) - 1 : null,
    mom: o.n_prev > 0 && covered(prev) ? o.n_last / dLast / (o.n_prev / days(prev)) - 1 : null,
    /** The months compared against, counted only when the data covers them whole (null: not comparable). */
    prevBase: covered(prev) ? o.n_prev : null,
    lyBase: covered(ly) ? o.n_ly : null,
    // no rating anywhere in the month is an export without 满意度, not a month without complaints: no rate. No
    // closing time anywhere in a rated month is an export without 办结时间 (an order is rated once it is closed):
    // the rate is over the rated orders
    unsat: !(data.quality.n_rated > 0)
      ? null
      : o.n_closed > 0
        ? o.n_unsat / o.n_closed
        : o.n_unsat / data.quality.n_rated,
    rated: data.quality.n_rated > 0,
    noClosing: o.n_closed === 0,
    repeat: o.n_last + o.n_oos > 0 ? o.n_repeat / (o.n_last + o.n_oos) : null,
    stopped: data.lastDataDay !== null && data.cutDay < WHOLE_MONTH,
    lastDay: addDays(data.asOf, -1),
  };
}
type Figures = ReturnType<typeof overviewFigures>;

/** A rated month whose orders carry no closing time: the export has no 办结时间, not a month of open orders. */
const NO_CLOSING = '上月工单均无办结时间，导出数据未含办结时间字段或为空';

/** A month whose orders carry no caller, coordinates, address or community: no order can be told to repeat another. */
const NO_REPEAT_KEYS = '上月工单均无来电人、坐标、地址或社区，无法判断重复诉求';

function kpis(data: ReportData, f: Figures): ReportDocument['kpis'] {
  const o = data.overview;
  const open = o.n_last + o.n_oos - o.n_closed;
  return [
    {
      label: `${monthLabel(data.lastMonth)}${firstDays(data, f)}有效诉求`,
      value: f.stopped && data.cutDay === 0 ? '—' : int(o.n_last),
      note: `日均同比 ${cityChange(f.yoy, f.lyBase, o.n_last)} · 环比 ${cityChange(f.mom, f.prevBase, o.n_last)}`,
    },
    {
      label: '不满意率',
      value: pct(f.unsat),
      note: !f.rated
        ? data.quality.n > 0
          ? '上月工单均无满意度评价，无法计算'
          : '上月没有工单'
        : f.noClosing
          ? `${NO_CLOSING}；按已评价 ${int(data.quality.n_rated)} 件计，含负面清单`
          : `按已办结 ${int(o.n_closed)} 件计，含负面清单${open > 0 ? `；另有 ${int(open)} 件未办结` : ''}`,
    },
    data.quality.n > 0 && data.quality.n_keyed === 0
      ? { label: '重复诉求占比', value: '—', note: NO_REPEAT_KEYS }
      : { label: '重复诉求占比', value: pct(f.repeat), note: '同一来电人或地点再次反映，含负面清单' },
    { label: '负面清单剔除', value: int(o.n_oos), note: '不计入诉求量与议题' },
  ];
}

/**
 * The city's 同比/环比: from a base of a few orders a percentage says more about the base than the change (a message
 * board's "环比-65.8%" was 6 orders against 9), so it is given as counts, as the topic cards do (MIN_PERCENT_BASE).
 */
function cityChange(rate: number | null, base: number | null, now: number): string {
  if (rate === null || base === null || base >= MIN_PERCENT_BASE) return change(base === null ? null : rate);
  return `${int(base)}件→${int(now)}件`;
}

/**
 * The summary sentence's 同比 and 环比, each left out when there is none (the data notes say why): "日均同比—，环比
 * -12.1%" read as a dash inside a sentence on a one-year export (Boston 311, 人民网 留言板).
 */
function cityChanges(f: Figures, now: number): string {
  const parts = [
    ['日均同比', cityChange(f.yoy, f.lyBase, now)],
    ['环比', cityChange(f.mom, f.prevBase, now)],
  ].filter(([, v]) => v !== '—');
  return parts.map(([k, v]) => `，${k}${v}`).join('');
}

/** A card's 同比/环比 box: counts on a base of a few orders; evidence stored before the counts were kept: the rate. */
const factChange = (rate: number | null, base: number | null | undefined, now: number) =>
  base === undefined ? change(rate) : cityChange(rate, base, now);

/** "前24天" when the data stopped inside last month; nothing when it is whole or holds no day at all ("前0天"). */
function firstDays(data: ReportData, f: Figures): string {
  return f.stopped && data.cutDay > 0 ? `前${data.cutDay}天` : '';
}

/** Data that stopped before the month ended comes first: every figure below depends on it. */
function stoppedLines(data: ReportData, f: Figures): string[] {
  if (!f.stopped) return [];
  if (data.cutDay === 0)
    return [
      `注意：${monthLabel(data.lastMonth)}没有任何工单入库（最新工单日期为${data.lastDataDay}），下列上月数字均不可用。`,
    ];
  return [
    `注意：工单数据只到${data.lastDataDay}，${monthLabel(data.lastMonth)}最后${daysInMonth(data.lastMonth) - data.cutDay}天尚未入库；上月数字按前${data.cutDay}天计，同比、环比取各月前${data.cutDay}天。`,
  ];
}

/**
 * What this month's run already assigned, and how it stands with a recorded choice: the rank-1 candidate is assigned
 * automatically when nobody chose (config assign.topic.autoSelect); a choice recorded after that run does not undo
 * the assignment, so the report says both in order instead of "未记录领导选择" beside "已选定".
 */
function assignedLines(data: ReportData, x: ReportExtras, cards: CandidateCard[]): string[] {
  const now = data.topicItems.filter((t) => t.month === data.month);
  const names = [
    ...cards.map((c) => `${c.rank}. ${c.category}`),
    ...x.alternates.map((a) => `${a.rank}. ${shownCategory(a.category, x)}（备选）`),
  ].join('；');
  const sel = x.selections[0];
  const out: string[] = [];
  for (const t of now) {
    const parts = [
      t.city_items ? `全市${t.city_items}项` : '',
      t.street_items ? `街道（乡镇）${t.street_items}项` : '',
      t.grid_items ? `网格${t.grid_items}项` : '',
    ]
      .filter(Boolean)
      .join('、');
    const what = `「${t.category}」：${parts}，截止${dateLabel(t.deadline)}。`;
    if (t.selected_by !== 'auto') out.push(`已按领导选定议题交办${what}`);
    else if (!sel) out.push(`未记录领导选择，已按评分第1名自动交办${what}`);
    else {
      out.push(`月度任务运行时尚未记录领导选择，已按评分第1名自动交办${what}`);
      const who = sel.selected_by ? `（${sel.selected_by}，${sel.selected_at}）` : `（${sel.selected_at}）`;
      out.push(
        sel.category === t.category
          ? `其后领导已选定「${sel.category}」${who}，与已交办的议题一致。`
          : `其后领导选定「${sel.category}」${who}；重跑本月月度任务后按选定议题交办，已交办的「${t.category}」事项请酌情保留或撤回。`,
      );
    }
  }
  if (now.length && now.every((t) => t.selected_by === 'auto') && !sel && cards.length + x.alternates.length > 1)
    out.push(`候选议题：${names}。如需改选，请记录选择（weisu topics select）后重跑月度任务。`);
  if (!now.length && cards.length) {
    const chosen = x.selections.map((s) => s.category);
    out.push(
      chosen.length
        ? `已选定：${[...new Set(chosen)].join('、')}。`
        : `建议本月从以下${cards.length + x.alternates.length}个议题中选定调度主题：${names}。`,
    );
  }
  return out;
}

function summaryLines(data: ReportData, x: ReportExtras, f: Figures, cards: CandidateCard[]): string[] {
  const o = data.overview;
  const out = [...stoppedLines(data, f)];
  // a month without a single order has no figures to sum up: the line above already says so
  if (!(f.stopped && data.cutDay === 0))
    out.push(
      `${monthLabel(data.lastMonth)}${firstDays(data, f)}全市受理有效诉求${int(o.n_last)}件${cityChanges(f, o.n_last)}。`,
    );
  out.push(...assignedLines(data, x, cards));
  if (cards.length && cards.length < data.candidatesWanted && !x.alternates.length)
    out.push(`本月仅${cards.length}个类别有明显上升或即将到来的季节高峰，其余类别未达候选条件。`);
  const sudden = shownSudden(data, x);
  if (sudden.length)
    out.push(`局部突发：${sudden.map((r) => `${placeOf(r)}「${r.category}」`).join('、')}，见第二节。`);
  for (const t of data.newTopics) out.push(`${dayLabel(t.as_of)}预警：${maskPersonal(t.reason)}。`);
  for (const t of data.topicItems.filter((i) => i.month < data.month && i.open_items > 0)) {
    const overdue = t.overdue_items
      ? t.overdue_items === t.open_items
        ? t.open_items === 1
          ? '，已超期'
          : '，均已超期'
        : `，其中${t.overdue_items}项已超期`
      : '';
    out.push(
      `往期议题「${t.category}」（${monthLabel(t.month)}）${t.items}项中仍有${t.open_items}项未办结${overdue}。`,
    );
  }
  return out;
}

/** "增至4.9倍" / "上升35%" / "回落20%" of n against a base; a base under 5 orders is said as counts. */
function trendWord(n: number, base: number | null, what: string): string | null {
  if (base === null) return null;
  if (base < 5) return `${what}仅${base}件`;
  const r = n / base - 1;
  if (Math.abs(r) < 0.2) return `与${what}持平`;
  return r >= 1
    ? `为${what}的${(n / base).toFixed(1)}倍`
    : r > 0
      ? `较${what}上升${Math.round(r * 100)}%`
      : `较${what}回落${Math.round(-r * 100)}%`;
}

/**
 * A local rise's place: the counts are the whole street's (or district's), so the hotspot cell that holds most of
 * them is named as where they concentrate — "高新区（集中在解放街道康泰西里社区 康泰西里一带）".
 */
function concentratedIn(where: string, p: CellPlace | undefined): string {
  if (!p) return where;
  const full = placeText(p, where);
  const rest = full.startsWith(where) ? full.slice(where.length).trim() : full;
  return rest ? `${where}（集中在${rest}）` : where;
}

/**
 * Local rises, less those in a category already assigned city-wide this month (every street has an item for it);
 * a candidate not yet assigned keeps its local rise, which is where its orders are.
 */
function shownSudden(data: ReportData, x: ReportExtras): SuddenRow[] {
  const assigned = data.topicItems.filter((t) => t.month === data.month).map((t) => t.category);
  const under = (c: string, topic: string) => c === topic || c.startsWith(topic + '/') || topic.startsWith(c + '/');
  return x.sudden.filter((s) => !assigned.some((t) => under(s.category, t))).slice(0, x.suddenMax);
}

const placeOf = (s: SuddenRow) => joinPlace([s.district, s.street]);

/** The data stopped before last month began: not one of its orders is in the store. */
const noMonth = (data: ReportData) => data.lastDataDay !== null && data.cutDay === 0;

function suddenSection(data: ReportData, x: ReportExtras): ReportDocument['sudden'] {
  const rows = shownSudden(data, x);
  if (!rows.length) return { intro: W.SUDDEN_EMPTY, rows: [] };
  return {
    intro: W.SUDDEN_INTRO,
    rows: rows.map((s: SuddenRow) => {
      const where = placeOf(s);
      const p = s.cell ? x.places.get(placeKey(s.cell, s.category)) : undefined;
      const trend = [trendWord(s.n_recent, s.n_year_ago, '去年同期'), trendWord(s.n_recent, s.n_before, '前4周')];
      return [
        concentratedIn(where, p),
        s.category,
        int(s.n_recent),
        int(s.n_before),
        s.n_year_ago === null ? '—' : int(s.n_year_ago),
        trend.filter(Boolean).join('，') || '—',
      ];
    }),
  };
}

/** Why there is no hotspot: no coordinates at all, none in the window (the data stopped before it), or none stood out. */
function hotspotEmpty(data: ReportData): string {
  const q = data.quality;
  if (!q.any_cell) return W.HOTSPOT_NO_COORDS;
  if (q.window_cells === 0)
    return data.lastDataDay && data.lastDataDay < addDays(data.asOf, -1)
      ? W.HOTSPOT_NO_RECENT(data.lastDataDay)
      : W.HOTSPOT_NO_RECENT(null);
  // "热点阶段未运行或没有明显聚集" left the data team to guess which (Konstanz 2020-04: 42 cells tested, none stood out)
  const tested = q.hotspot_cells_tested;
  return tested === null || tested === undefined ? W.HOTSPOT_NOT_RUN : W.HOTSPOT_NONE(Number(tested));
}

function hotspotSection(data: ReportData, x: ReportExtras): Pick<ReportDocument, 'hotspotIntro' | 'hotspotRows'> {
  const h = data.hotspots;
  if (!h.length) return { hotspotIntro: hotspotEmpty(data), hotspotRows: [] };
  const shown = h[0].cells_total > h.length ? `，地图显示最明显的${h.length}个` : '';
  return {
    hotspotIntro: `${hotWindow(h[0])}，共${int(h[0].cells_total)}个区块的诉求明显多于周边（已排除偶然波动）${shown}。颜色越深，聚集越强；下表列出最明显的${Math.min(10, h.length)}个区块及其主要类别。`,
    hotspotRows: mergedPlaces(h.slice(0, 10), x),
  };
}

/**
 * Adjacent cells of one place and category are one line for a reader (two lines both reading 芳草南里一带 looked
 * like a mistake): their counts are summed and the line says how many cells it holds. Strongest first, as listed.
 */
function mergedPlaces(rows: ReportData['hotspots'], x: ReportExtras): string[][] {
  const merged = new Map<
    string,
    { place: string; category: string; n: number; all: number; cells: number; kinds: Set<string> }
  >();
  for (const r of rows) {
    const mixed = r.category === '（综合）';
    const place = placeText(x.places.get(placeKey(r.cell, mixed ? null : r.category)), r.street);
    const category = mixed ? '多类综合' : r.category;
    const m = merged.get(`${place}|${category}`) ?? {
      place,
      category,
      n: 0,
      all: 0,
      cells: 0,
      kinds: new Set<string>(),
    };
    m.n += r.count;
    m.all += r.all_count;
    m.cells += 1;
    for (const k of r.kinds.split(',')) m.kinds.add(W.KIND[k] ?? k);
    merged.set(`${place}|${category}`, m);
  }
  return [...merged.values()].map((m) => [
    m.cells > 1 ? `${m.place}（共${m.cells}个区块）` : m.place,
    m.category,
    int(m.n),
    int(m.all),
    [...m.kinds].join('、'),
  ]);
}

/**
 * Under one expected order a week a percentage says nothing: a hotspot cell expected at 0.2 a week that had 7.4 read
 * "+3735%". Such a change is given in orders a week, and its 说明 says why.
 */
const tinyBase = (cf: number | null | undefined): cf is number => cf !== null && cf !== undefined && cf < 1;
const perWeek = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)}件`;

function effectCells(e: EffectRow): [string, string] {
  if (thinControls(e)) return ['对照不足', interval(e.pct_lo, e.pct_hi, change)];
  if (tinyBase(e.counterfactual) && e.effect !== null)
    return [`每周${perWeek(e.effect)}`, interval(e.effect_lo, e.effect_hi, perWeek)];
  return [change(e.effect_pct), interval(e.pct_lo, e.pct_hi, change)];
}

const interval = (lo: number | null, hi: number | null, f: (x: number) => string) =>
  lo !== null && hi !== null ? `${f(lo)}～${f(hi)}` : '—';

function effectNote(e: EffectRow & { q: number | null }): string {
  const text =
    tinyBase(e.counterfactual) && e.effect !== null && !thinControls(e)
      ? W.TINY_BASE_NOTE(
          W.POOLED_WHAT[e.measure] ?? W.MEASURE[e.measure] ?? e.measure,
          e.treated_post ?? null,
          e.counterfactual,
          e.treated_pre ?? null,
        )
      : maskPersonal(e.summary);
  return (
    (thinControls(e) ? `可比街道仅${e.control_n}个，区间过宽，无法判断；` : '') +
    text +
    (e.significant && e.q !== null && e.q > ITEM_FDR ? '（排除偶然波动后不显著）' : '')
  );
}

/** A DiD measure on so few comparable streets that its interval says nothing. */
const thinControls = (e: { method: string; control_n: number; pct_lo: number | null; pct_hi: number | null }) =>
  e.method === 'did' && e.control_n < 5 && e.pct_lo !== null && e.pct_hi !== null && e.pct_hi - e.pct_lo > 1;

/** All measured items of a kind in one sentence: the sum over items is what one item's few orders cannot show. */
function pooledSentence(p: PooledEffectRow, fdr: { declines: number; rises: number }): string {
  const who = p.subject_kind === 'topic' ? `已评估议题${p.items}个` : `已评估热点事项${p.items}项`;
  const dir = p.effect_pct < 0 ? '下降' : '上升';
  const sure = p.pct_lo > 0 || p.pct_hi < 0 ? '' : '，尚不显著';
  // one item in twenty is "significant" at 95% by chance: the count that means something is after FDR control
  const raw = p.significant_declines + p.significant_rises;
  const chance = Math.round(p.items * 0.05);
  const rawNote =
    raw > fdr.declines + fdr.rises
      ? `（逐项单独看时为下降${p.significant_declines}项、上升${p.significant_rises}项，${p.items}项中约${chance}项会因随机波动而显著）`
      : '';
  const single =
    p.subject_kind === 'topic' && p.items === 1
      ? ''
      : `；逐项看（排除偶然波动，误报率${Math.round(ITEM_FDR * 100)}%），显著下降${fdr.declines}项、显著上升${fdr.rises}项${rawNote}`;
  return `${who}：${W.POOLED_WHAT[p.measure] ?? p.measure}合计每周${p.treated_post.toFixed(1)}件，较无整治的预期${p.counterfactual.toFixed(1)}件${dir}${pct(Math.abs(p.effect_pct))}（95%区间 ${change(p.pct_lo)}～${change(p.pct_hi)}）${sure}${single}。`;
}

function effectsIntro(data: ReportData): string {
  const e = data.effects;
  if (e !== null && e.length) return W.EFFECTS_INTRO;
  if (!data.topicItems.some((t) => t.month < data.month))
    return `暂无已办结的往期议题，成效将在议题办结后${W.EFFECT_HOW}。`;
  // the effect stage ran (it comes before the report in the monthly job) and measured nothing: every earlier topic
  // is still inside its observation period, which "not yet computed" misstated on the 1st of a month
  return e === null
    ? `截至本报告日期尚未计算往期议题的成效（月度任务在每月1日计算），成效将${W.EFFECT_HOW}。`
    : `往期议题办结后的观察期尚短（需满数周），成效暂不能评估；观察期满后将${W.EFFECT_HOW}。`;
}

function effectsSection(data: ReportData): ReportDocument['effects'] {
  const effectRows = withItemQ(data.effects ?? []);
  const pooled = data.pooledEffects.map((p) => {
    // a topic measured on a handful of comparable streets: its interval says nothing, and the line should not lead
    // with a percentage (the table says 对照不足 and gives the forecast measure)
    const rows = effectRows.filter(
      (r) => r.subject_kind === p.subject_kind && r.measure === p.measure && r.method === 'did',
    );
    if (p.subject_kind === 'topic' && rows.length && rows.every(thinControls))
      return `已评估议题${p.items}个（${W.POOLED_WHAT[p.measure] ?? p.measure}）：可比的未整治街道仅${Math.max(...rows.map((r) => r.control_n))}个，区间过宽，无法判断，见下表“对照预测”。`;
    return pooledSentence(p, fdrCounts(effectRows, p));
  });
  const rows = rowsToList(effectRows, data.maxRows).map((e) => ({
    cells: [
      e.subject_kind === 'topic'
        ? `${monthLabel(e.subject_id.split(':')[0])}议题`
        : `热点 ${e.place || '（位置未记录）'}`,
      e.category,
      e.lead_unit ?? '—',
      W.MEASURE[e.measure] ?? e.measure,
      ...effectCells(e),
    ],
    note: effectNote(e),
  }));
  return { intro: effectsIntro(data), pooled, rows };
}

function scorecardSection(data: ReportData): ReportDocument['scorecard'] {
  const s = data.scorecard;
  // one test per unit and month: 23 units at 95% give one "significant" change by chance, so the same
  // false-discovery control as the items
  const unitQ = scorecardQ(s ?? []);
  let intro: string;
  if (s !== null && s.length)
    intro = `按月统计各牵头单位的交办事项：过程指标（按时签收、按时回传；按时回传率只计已到回传期限的事项，尚无到期事项的记“—”）与结果指标（诉求变化：所办事项合计相对未整治预期的变化，负值为下降；排除偶然波动后不显著的标“不显著”）。${s.length > data.maxRows ? `按交办量列出前${data.maxRows}个单位。` : ''}`;
  else if (data.assignedNow > 0)
    intro = `本月新交办${int(data.assignedNow)}项，自下月起按月统计各牵头单位的签收、回传与诉求变化。`;
  else if (data.topicItems.some((t) => t.month < data.month))
    intro = '截至本报告日期尚未计算承办单位考核（月度任务在每月1日计算）。';
  else intro = '暂无承办单位考核数据（尚无交办事项）。';
  const rows = (s ?? [])
    .slice(0, data.maxRows)
    .map((r, i) => [
      r.month,
      r.unit,
      int(r.assigned),
      int(r.acknowledged_on_time),
      int(r.returned_on_time),
      int(r.finished),
      int(r.open),
      int(r.overdue),
      pct(r.on_time_rate),
      r.decline_pct === null
        ? '—'
        : (tinyBase(r.base) ? `每周${perWeek(r.decline_pct * r.base)}` : change(r.decline_pct)) +
          (unitQ[i] !== null && unitQ[i]! > ITEM_FDR ? '（不显著）' : ''),
    ]);
  return { intro, rows };
}

/**
 * Data that starts inside last month: its count is a few days', not a month's, and no comparison stands on it
 * (a five-day export read as "12月有效诉求9,999件" with nothing to say it was five days).
 */
function partialStart(data: ReportData, q: ReportData['quality']): string[] {
  const start = `${data.lastMonth}-01`;
  if (!q.first_order_day || !q.last_order_day || q.first_order_day <= start) return [];
  const days = daysBetween(q.first_order_day, q.last_order_day) + 1;
  return [
    `工单数据从${q.first_order_day}开始，${monthLabel(data.lastMonth)}只有${days}天的数据，上月数字是这${days}天的量，不是整月。`,
  ];
}

/**
 * Days inside the data's span on which a busy city has no order at all: an export that was not loaded, which makes
 * the month's count and its comparisons short (a scrape with a nine-day hole read as a month of 16 days).
 */
function emptyRuns(q: ReportData['quality']): string[] {
  const runs = q.empty_runs ?? [];
  if (runs.length === 0) return [];
  const days = runs.reduce((s, r) => s + Number(r.days), 0);
  const named = runs
    .slice(0, 3)
    .map((r) => (r.first_day === r.last_day ? r.first_day : `${r.first_day}至${r.last_day}`))
    .join('、');
  return [
    `上月有${days}天全市没有一件工单（${named}${runs.length > 3 ? '等' : ''}），很可能是这几天的数据未导入；上月诉求量和同比、环比因此偏低，请补导后重新生成报告。`,
  ];
}

/** A trailing gap this unlikely at the month's daily rate is an export not yet loaded, not a quiet spell. */
const GAP_CHANCE = 0.01;

/**
 * The days at the end of last month without any order. In a quiet city they may be no more than that: the
 * Konstanz Mängelmelder (3.6 reports a day) had none on 2021-12-31, and the report said the day's data was not yet
 * loaded, while its figures rightly counted the month whole. Said to be missing when the analyses treat the data as
 * stopped, or when so long a gap has under a 1 % chance at the month's daily rate (Poisson: e^(−rate × days)).
 */
function lastDayNote(data: ReportData, f: Figures): string[] {
  const q = data.quality;
  if (!q.last_order_day || q.last_order_day >= f.lastDay) return [];
  const from = addDays(q.last_order_day, 1);
  const span = from === f.lastDay ? from : `${from}至${f.lastDay}`;
  const gap = daysBetween(q.last_order_day, f.lastDay);
  const covered = daysInMonth(data.lastMonth) - gap;
  const rate = covered > 0 ? q.n / covered : 0;
  if (f.stopped || Math.exp(-rate * gap) < GAP_CHANCE)
    return [`最新工单日期为${q.last_order_day}，${span}的数据尚未入库。`];
  return [
    `最新工单日期为${q.last_order_day}；上月日均${rate.toFixed(1)}件，${span}没有工单可能只是无人反映，上月已按整月计算。`,
  ];
}

function qualityNotes(data: ReportData, f: Figures, extraNotes: string[]): string[] {
  const out: string[] = [];
  const q = data.quality;
  const share = (n: number) => (q.n > 0 ? n / q.n : 0);
  out.push(...lastDayNote(data, f));
  out.push(...partialStart(data, q));
  out.push(...emptyRuns(q));
  if (q.n_keyed === 0 && q.n > 0)
    out.push(`${NO_REPEAT_KEYS}（导出数据未含来电号码、坐标、地址或社区字段，或均为空）。`);
  if (q.n_rated === 0 && q.n > 0)
    out.push('上月工单均无满意度评价（导出数据未含满意度字段或为空），不满意率无法计算。');
  if (q.quarantined > 0)
    out.push(
      `上月入库或受理于上月的数据中有${int(q.quarantined)}行因格式或校验问题被隔离，未计入统计（见 quarantine 表）。`,
    );
  // an order placed nowhere has no street either: the street note is for orders placed in a district without a
  // street, and only when they are enough to tell (Boston 311 had 532 unplaced and 534 without a street: two notes
  // of 6.1 %)
  const unplacedNote = share(q.unplaced) >= 0.01;
  const districtOnly = share(q.no_street - q.unplaced) >= 0.01;
  if (unplacedNote)
    out.push(
      `上月${pct(share(q.unplaced))}的工单无法定位到任何区划，未计入分区统计${districtOnly ? '' : '，街道层面的预警与交办也会漏掉这部分诉求'}。`,
    );
  // beside the unplaced note the street note counts the orders placed in a district only: counting all orders without
  // a street gave "95.3%…无法定位到任何区划" then "100%的工单（86件）未能定位到街道" (Konstanz, December 2020)
  const streetless = unplacedNote ? q.no_street - q.unplaced : q.no_street;
  if (share(q.no_street) >= 0.02 && q.no_street > q.unplaced && (districtOnly || !unplacedNote))
    out.push(
      `上月${unplacedNote ? '另有' : ''}${pct(share(streetless))}的工单（${int(streetless)}件）${unplacedNote ? '只定位到区县、' : ''}未能定位到街道，街道层面的预警与交办会漏掉这部分诉求。`,
    );
  if (share(q.outside) >= 0.01)
    out.push(
      `上月${pct(share(q.outside))}的工单（${int(q.outside)}件）坐标落在全部边界之外，请核对坐标系（WGS-84/GCJ-02/BD-09）或边界文件。`,
    );
  if (share(q.no_dept) >= 0.05) out.push(`上月${pct(share(q.no_dept))}的工单缺少承办单位，配合单位建议可能不全。`);
  if (data.overview.n_oos > 0)
    out.push(
      `负面清单（不属于政府职责范围）诉求${int(data.overview.n_oos)}件，不计入诉求量、同比环比与议题（不满意率和重复诉求占比含此类工单）。`,
    );
  for (const n of [...data.topicNotes, ...extraNotes]) if (!out.includes(n)) out.push(n);
  if (out.length === 0) out.push('未发现影响本报告结论的数据问题。');
  return out;
}

/** The report as words and numbers, section by section; renderers only lay it out. */
export function buildDocument(
  data: ReportData,
  extras: ReportExtras,
  city: string,
  titleTemplate: string,
  extraNotes: string[],
): ReportDocument {
  const f = overviewFigures(data);
  const cards = data.candidates.map((c) => candidateCard(c, data, extras));
  const simulated = extras.feedback.simulated > 0 ? W.SIMULATED : null;
  return {
    title: titleTemplate.replace('{city}', city).replace('{month}', monthLabel(data.month)),
    subtitle: `依据${monthLabel(data.lastMonth)}及以前的工单（截至${f.stopped ? `${data.lastDataDay}，其后尚未入库` : f.lastDay}）生成 · 个人信息已脱敏${simulated ? ' · 回传为模拟数据（演示）' : ''}`,
    simulated,
    kpis: kpis(data, f),
    summary: summaryLines(data, extras, f, cards),
    topChartCaption: W.TOP_CHART_CAPTION(data.topCategories.some((r) => r.n_ly !== null)),
    candidates: cards,
    alternates: extras.alternates.map((a) => ({
      rank: a.rank,
      category: shownCategory(a.category, extras),
      score: a.score.toFixed(2),
      reasons: a.reasons.map(maskPersonal),
      weaker: a.weaker,
    })),
    alternatesIntro: extras.alternates.length ? W.ALTERNATES_INTRO(cards.length, extras.alternates.length) : null,
    // a month replayed after the data stopped holds no order: "没有明显上升" would be said of nothing weighed
    candidatesEmpty: cards.length ? null : noMonth(data) ? W.CANDIDATES_NO_MONTH : W.CANDIDATES_EMPTY,
    sudden: noMonth(data) ? { intro: W.SUDDEN_NO_MONTH, rows: [] } : suddenSection(data, extras),
    ...hotspotSection(data, extras),
    effects: effectsSection(data),
    scorecard: scorecardSection(data),
    quality: qualityNotes(data, f, extraNotes),
    method: W.METHOD_NOTES,
  };
}
