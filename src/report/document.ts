import { addDays, addMonths, daysInMonth } from '../store/dates.js';
import { countedDays, WHOLE_MONTH } from '../store/data-end.js';
import { maskPersonal } from '../store/mask.js';
import type { PooledEffectRow, ReportData } from './data.js';
import { change, int, monthLabel, pct } from './format.js';
import { FALLBACK_TAG } from '../tag/lexicon.js';
import { fdrCounts, ITEM_FDR, rowsToList, scorecardQ, withItemQ } from './effect-rows.js';

const dateLabel = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const dayLabel = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/** "近4周（11月3日—11月30日）": the window the hotspot snapshot counted. */
function hotWindow(h: { as_of: string; window_start: string | null; window_last: string | null }): string {
  if (!h.window_start || !h.window_last) return `截至${h.as_of}`;
  const weeks = Math.round((Date.parse(h.window_last) - Date.parse(h.window_start)) / 86_400_000 + 1) / 7;
  return `近${Number.isInteger(weeks) ? weeks : weeks.toFixed(1)}周（${dayLabel(h.window_start)}—${dayLabel(h.window_last)}）`;
}

function unexplainedShare(causes: readonly { tag: string; share: number }[]): string | null {
  const share = causes.find((r) => r.tag === FALLBACK_TAG)?.share ?? 0;
  return share > 0 ? pct(share) : null;
}

/** What both renderers (HTML, Markdown) print: the report's words and numbers, decided once. */
export interface ReportDocument {
  title: string;
  subtitle: string;
  kpis: { label: string; value: string; note: string }[];
  summary: string[];
  candidates: {
    rank: number;
    category: string;
    score: string;
    selected: string | null;
    reasons: string[];
    facts: [string, string][];
    /** The named causes, largest first; the fallback tag (orders no cause was read from) is `unexplained`. */
    rootCauses: { tag: string; share: string; width: number }[];
    /** Share of the category's orders with no cause read, e.g. '20%'; null when none. */
    unexplained: string | null;
    hotspots: string[];
    typical: string[];
    lead: string;
    co: string;
    chartKey: string;
  }[];
  candidatesEmpty: string | null;
  hotspotIntro: string;
  hotspotRows: string[][];
  /** pooled: one sentence per kind of item and measure, all items together; rows: items, the telling ones first. */
  effects: { intro: string; pooled: string[]; rows: string[][] };
  scorecard: { intro: string; rows: string[][] };
  quality: string[];
  method: string;
}

export const HOTSPOT_HEAD = ['网格(H3)', '街道', '主要类别', '该类件数/网格全部', '聚集强度z', '类型'];
export const EFFECT_HEAD = ['议题/事项', '类别', '牵头单位', '衡量', '变化', '区间', '说明'];
export const SCORECARD_HEAD = [
  '月份',
  '承办单位',
  '交办',
  '按时签收',
  '按时回传',
  '办结',
  '未办结',
  '超期',
  '按时回传率',
  '诉求变化',
];

const KIND = { hot: '热点', emerging: '新发', persistent: '持续', multi_category: '多类' } as Record<string, string>;
const MEASURE = { category: '整治街道同类', cells: '热点区块', repeat: '重复诉求', forecast: '对照预测' } as Record<
  string,
  string
>;

/** A scorecard cut at maxRows rows says so (the SQL asks for one more row than it shows). */
function scorecardNote(rows: readonly unknown[], max: number): string {
  return rows.length > max ? `按交办量列出前${max}个单位。` : '';
}

/** A DiD measure on so few comparable streets that its interval says nothing. */
const thinControls = (e: { method: string; control_n: number; pct_lo: number | null; pct_hi: number | null }) =>
  e.method === 'did' && e.control_n < 5 && e.pct_lo !== null && e.pct_hi !== null && e.pct_hi - e.pct_lo > 1;
const POOLED_WHAT = { category: '整治街道内同类诉求', cells: '热点区块内同类诉求', repeat: '重复诉求' } as Record<
  string,
  string
>;

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
      ? `（不作多重检验校正时为下降${p.significant_declines}项、上升${p.significant_rises}项，${p.items}项中约${chance}项会因随机波动而显著）`
      : '';
  const single =
    p.subject_kind === 'topic' && p.items === 1
      ? ''
      : `；逐项看（控制误报率${Math.round(ITEM_FDR * 100)}%），显著下降${fdr.declines}项、显著上升${fdr.rises}项${rawNote}`;
  return `${who}：${POOLED_WHAT[p.measure] ?? p.measure}合计每周${p.treated_post.toFixed(1)}件，较无整治的预期${p.counterfactual.toFixed(1)}件${dir}${pct(Math.abs(p.effect_pct))}（95%区间 ${change(p.pct_lo)}～${change(p.pct_hi)}）${sure}${single}。`;
}

export function buildDocument(
  data: ReportData,
  city: string,
  titleTemplate: string,
  extraNotes: string[],
): ReportDocument {
  const o = data.overview;
  // per-day rates, as the candidates' 同比/环比 are: November's 30 days against October's 31 is no fall
  // and over the same first days of each month when the data stops inside last month (overview.sql $cut_day)
  const days = (m: string) => countedDays(m, data.cutDay);
  const dLast = days(data.lastMonth);
  const yoy = o.n_ly > 0 ? o.n_last / dLast / (o.n_ly / days(addMonths(data.lastMonth, -12))) - 1 : null;
  const mom = o.n_prev > 0 ? o.n_last / dLast / (o.n_prev / days(addMonths(data.lastMonth, -1))) - 1 : null;
  const unsat = o.n_closed > 0 ? o.n_unsat / o.n_closed : null;
  const repeat = o.n_last + o.n_oos > 0 ? o.n_repeat / (o.n_last + o.n_oos) : null;
  const title = titleTemplate.replace('{city}', city).replace('{month}', monthLabel(data.month));
  const lastDay = new Date(Date.parse(data.asOf + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);

  const candidates = data.candidates.map((c) => {
    const e = c.evidence;
    const forecast =
      e.forecast_next_month === null
        ? '—'
        : `${int(e.forecast_next_month)}${e.forecast_range ? `（各周80%区间之和：${int(e.forecast_range.lo)}–${int(e.forecast_range.hi)}）` : ''}${e.forecast_source === 'seasonal_naive' ? ' 按去年季节推算' : ''}${e.forecast_level_shift ? ' 按近期新水平' : ''}`;
    return {
      rank: c.rank,
      category: c.category,
      score: c.score.toFixed(2),
      selected: c.selected
        ? `已选定${c.selected_by ? `（${c.selected_by}）` : ''}`
        : data.topicItems.some((t) => t.month === data.month && t.category === c.category && t.selected_by === 'auto')
          ? '已自动交办'
          : null,
      reasons: c.reasons.map(maskPersonal),
      facts: [
        ['上月件数', int(e.orders_last_month)],
        [
          '同比',
          change(e.yoy) +
            (e.yoy_adjusted !== undefined && e.yoy_adjusted !== null && e.yoy !== null
              ? `（扣除总量增长后 ${change(e.yoy_adjusted)}）`
              : ''),
        ],
        // the adjusted figure only where the season moved it (a season that fell is not taken out: topics/score.ts)
        [
          '环比',
          change(e.mom) +
            (e.mom_adjusted !== undefined &&
            e.mom_adjusted !== null &&
            e.mom !== null &&
            Math.abs(e.mom_adjusted - e.mom) >= 0.005
              ? `（扣除季节变化后 ${change(e.mom_adjusted)}）`
              : ''),
        ],
        ['本月预测', forecast],
      ] as [string, string][],
      // 其他 is no cause: listed among them it read as the largest one on a city whose wording the tagger cannot read
      rootCauses: e.root_causes
        .filter((r) => r.tag !== FALLBACK_TAG)
        .slice(0, 5)
        .map((r) => ({ tag: r.tag, share: pct(r.share), width: Math.round(Math.min(1, r.share) * 100) })),
      unexplained: unexplainedShare(e.root_causes),
      hotspots: e.hotspots,
      typical: e.typical_orders.map(maskPersonal),
      lead: c.lead_unit ?? '（待定）',
      co: c.co_units.join('、') || '—',
      chartKey: `series-${c.rank}`,
    };
  });

  const summary: string[] = [];
  // data that stopped before the month ended comes first: every figure below depends on it
  const stopped = data.lastDataDay !== null && data.cutDay < WHOLE_MONTH;
  if (stopped && data.cutDay === 0)
    summary.push(
      `注意：${monthLabel(data.lastMonth)}没有任何工单入库（最新工单日期为${data.lastDataDay}），下列上月数字均不可用。`,
    );
  else if (stopped) {
    summary.push(
      `注意：工单数据只到${data.lastDataDay}，${monthLabel(data.lastMonth)}最后${daysInMonth(data.lastMonth) - data.cutDay}天尚未入库；上月数字按前${data.cutDay}天计，同比、环比取各月前${data.cutDay}天。`,
    );
  }
  summary.push(
    `${monthLabel(data.lastMonth)}${stopped ? `前${data.cutDay}天` : ''}全市受理有效诉求${int(o.n_last)}件，日均同比${change(yoy)}，环比${change(mom)}。`,
  );
  // What this month's run already did: the rank-1 candidate is assigned automatically when nobody chose (config
  // assign.topic.autoSelect); a report asking the leader to choose what was already dispatched misleads.
  const now = data.topicItems.filter((t) => t.month === data.month);
  const names = candidates.map((c) => `${c.rank}. ${c.category}`).join('；');
  if (now.length) {
    for (const t of now) {
      const how = t.selected_by === 'auto' ? '未记录领导选择，已按评分第1名自动交办' : '已按选定议题交办';
      const parts = [
        t.city_items ? `全市${t.city_items}项` : '',
        t.street_items ? `街道（乡镇）${t.street_items}项` : '',
        t.grid_items ? `网格${t.grid_items}项` : '',
      ]
        .filter(Boolean)
        .join('、');
      summary.push(`${how}「${t.category}」：${parts}，截止${dateLabel(t.deadline)}。`);
    }
    if (now.some((t) => t.selected_by === 'auto') && candidates.length > 1) {
      summary.push(`候选议题：${names}。如需改选，请记录选择（weisu topics select）后重跑月度任务。`);
    }
  } else if (candidates.length) {
    summary.push(`建议本月从以下${candidates.length}个议题中选定调度主题：${names}。`);
  }
  if (candidates.length && candidates.length < data.candidatesWanted) {
    summary.push(`本月仅${candidates.length}个类别有明显上升或即将到来的季节高峰，其余类别未达候选条件。`);
  }
  const chosen = data.candidates.filter((c) => c.selected).map((c) => c.category);
  if (chosen.length && !now.length) summary.push(`已选定：${chosen.join('、')}。`);
  for (const t of data.newTopics) summary.push(`${dayLabel(t.as_of)}预警：${maskPersonal(t.reason)}。`);
  const earlier = data.topicItems.filter((t) => t.month < data.month && t.open_items > 0);
  for (const t of earlier) {
    summary.push(
      `往期议题「${t.category}」（${monthLabel(t.month)}）${t.items}项中仍有${t.open_items}项未办结${t.overdue_items ? (t.overdue_items === t.open_items ? '，均已超期' : `，其中${t.overdue_items}项已超期`) : ''}。`,
    );
  }

  const effects = data.effects;
  const effectRows = withItemQ(effects ?? []);
  // one test per unit and month: 23 units at 95% give one "significant" change by chance, so the same false-discovery
  // control as the items
  const scorecard = data.scorecard;
  const unitQ = scorecardQ(scorecard ?? []);
  const quality: string[] = [];
  const q = data.quality;
  if (q.last_order_day && q.last_order_day < lastDay)
    quality.push(`最新工单日期为${q.last_order_day}，${addDays(q.last_order_day, 1)}至${lastDay}的数据尚未入库。`);
  if (q.quarantined > 0)
    quality.push(
      `上月入库或受理于上月的数据中有${int(q.quarantined)}行因格式或校验问题被隔离，未计入统计（见 quarantine 表）。`,
    );
  if (q.n > 0 && q.unplaced / q.n >= 0.01)
    quality.push(`上月${pct(q.unplaced / q.n)}的工单无法定位到任何区划，未计入分区统计。`);
  if (q.n > 0 && q.no_street / q.n >= 0.02 && q.no_street > q.unplaced) {
    quality.push(
      `上月${pct(q.no_street / q.n)}的工单（${int(q.no_street)}件）未能定位到街道，街道层面的预警与交办会漏掉这部分诉求。`,
    );
  }
  if (q.n > 0 && q.outside / q.n >= 0.01)
    quality.push(
      `上月${pct(q.outside / q.n)}的工单（${int(q.outside)}件）坐标落在全部边界之外，请核对坐标系（WGS-84/GCJ-02/BD-09）或边界文件。`,
    );
  if (q.n > 0 && q.no_dept / q.n >= 0.05)
    quality.push(`上月${pct(q.no_dept / q.n)}的工单缺少承办单位，配合单位建议可能不全。`);
  if (o.n_oos > 0)
    quality.push(
      `负面清单（不属于政府职责范围）诉求${int(o.n_oos)}件，不计入诉求量、同比环比与议题（不满意率和重复诉求占比含此类工单）。`,
    );
  for (const n of [...data.topicNotes, ...extraNotes]) if (!quality.includes(n)) quality.push(n);
  if (quality.length === 0) quality.push('未发现影响本报告结论的数据问题。');

  return {
    title,
    subtitle: `依据${monthLabel(data.lastMonth)}及以前的工单（截至${stopped ? `${data.lastDataDay}，其后尚未入库` : lastDay}）生成 · 个人信息已脱敏`,
    kpis: [
      {
        label: `${monthLabel(data.lastMonth)}${stopped ? `前${data.cutDay}天` : ''}有效诉求`,
        value: int(o.n_last),
        note: `日均同比 ${change(yoy)} · 环比 ${change(mom)}`,
      },
      {
        label: '不满意率',
        value: pct(unsat),
        note: `按已办结 ${int(o.n_closed)} 件计，含负面清单${o.n_last + o.n_oos > o.n_closed ? `；另有 ${int(o.n_last + o.n_oos - o.n_closed)} 件未办结` : ''}`,
      },
      { label: '重复诉求占比', value: pct(repeat), note: '同一来电人或地点再次反映，含负面清单' },
      { label: '负面清单剔除', value: int(o.n_oos), note: '不计入诉求量与议题' },
    ],
    summary,
    candidates,
    candidatesEmpty: candidates.length
      ? null
      : '本月没有符合条件的议题候选（没有明显上升或即将到来的季节高峰的类别）。',
    hotspotIntro: data.hotspots.length
      ? `${hotWindow(data.hotspots[0])}，共${int(data.hotspots[0].cells_total)}个区块存在统计显著的诉求聚集（Getis-Ord Gi*，已控制误报率）${data.hotspots[0].cells_total > data.hotspots.length ? `，地图显示最强的${data.hotspots.length}个` : ''}。颜色越深，聚集越强；下表列出最强的${Math.min(10, data.hotspots.length)}个，件数为该区块内该类诉求与全部诉求的件数。`
      : '暂无热点区块结果（热点阶段未运行或没有显著聚集）。',
    hotspotRows: data.hotspots.slice(0, 10).map((h) => [
      h.cell,
      h.street ?? '—',
      h.category,
      `${int(h.count)}/${int(h.all_count)}`,
      h.z.toFixed(1),
      h.kinds
        .split(',')
        .map((k) => KIND[k] ?? k)
        .join('、'),
    ]),
    effects: {
      intro:
        effects === null || effects.length === 0
          ? data.topicItems.some((t) => t.month < data.month)
            ? effects === null
              ? '截至本报告日期尚未计算往期议题的成效（月度任务在每月1日计算），成效将按同类诉求的降幅（对照预测或未整治街道的双重差分）评估。'
              : // the effect stage ran (it comes before the report in the monthly job) and measured nothing: every earlier
                // topic is still inside its observation period, which "not yet computed" misstated on the 1st of a month
                '往期议题办结后的观察期尚短（需满数周），成效暂不能评估；观察期满后将按同类诉求的降幅（对照预测或未整治街道的双重差分）评估。'
            : '暂无已办结的往期议题，成效将在议题办结后按同类诉求的降幅（对照预测或未整治街道的双重差分）评估。'
          : '往期议题与热点整治办结后，诉求相对于“未整治时应有水平”（可比的未整治街道或区块同期的变化；议题另对照预测）的变化，负值为下降，括号内为95%区间。单个区块每周只有几件诉求，逐项结果多不显著，先看合计；下表列出议题，以及控制误报率后仍显著的热点事项。',
      pooled: data.pooledEffects.map((p) => {
        // a topic measured on a handful of comparable streets: its interval says nothing, and the line should not
        // lead with a percentage (the table says 对照不足 and gives the forecast measure)
        const rows = effectRows.filter(
          (r) => r.subject_kind === p.subject_kind && r.measure === p.measure && r.method === 'did',
        );
        if (p.subject_kind === 'topic' && rows.length && rows.every(thinControls)) {
          return `已评估议题${p.items}个（${POOLED_WHAT[p.measure] ?? p.measure}）：可比的未整治街道仅${Math.max(...rows.map((r) => r.control_n))}个，区间过宽，无法判断，见下表“对照预测”。`;
        }
        return pooledSentence(p, fdrCounts(effectRows, p));
      }),
      rows: rowsToList(effectRows, data.maxRows).map((e) => [
        e.subject_kind === 'topic'
          ? `${monthLabel(e.subject_id.split(':')[0])}议题`
          : `热点 ${[e.place, e.cell].filter(Boolean).join(' ') || e.subject_id}`,
        e.category,
        e.lead_unit ?? '—',
        MEASURE[e.measure] ?? e.measure,
        thinControls(e) ? '对照不足' : change(e.effect_pct),
        e.pct_lo !== null && e.pct_hi !== null ? `${change(e.pct_lo)}～${change(e.pct_hi)}` : '—',
        (thinControls(e) ? `可比街道仅${e.control_n}个，区间过宽，无法判断；` : '') +
          maskPersonal(e.summary) +
          (e.significant && e.q !== null && e.q > ITEM_FDR ? '（多重检验校正后不显著）' : ''),
      ]),
    },
    scorecard: {
      intro:
        scorecard === null || scorecard.length === 0
          ? data.assignedNow > 0
            ? `本月新交办${int(data.assignedNow)}项，自下月起按月统计各牵头单位的签收、回传与诉求变化。`
            : data.topicItems.some((t) => t.month < data.month)
              ? '截至本报告日期尚未计算承办单位考核（月度任务在每月1日计算）。'
              : '暂无承办单位考核数据（尚无交办事项）。'
          : `按月统计各牵头单位的交办事项：过程指标（按时签收、按时回传）与结果指标（诉求变化：所办事项合计相对未整治预期的变化，负值为下降；控制误报率（5%）后不显著的标“不显著”）。${scorecardNote(scorecard, data.maxRows)}`,
      rows: (scorecard ?? [])
        .slice(0, data.maxRows)
        .map((s, i) => [
          s.month,
          s.unit,
          int(s.assigned),
          int(s.acknowledged_on_time),
          int(s.returned_on_time),
          int(s.finished),
          int(s.open),
          int(s.overdue),
          pct(s.on_time_rate),
          s.decline_pct === null
            ? '—'
            : change(s.decline_pct) + (unitQ[i] !== null && unitQ[i]! > ITEM_FDR ? '（不显著）' : ''),
        ]),
    },
    quality,
    method:
      '同比、环比均按日均计。议题评分为各项指标的加权和（权重见配置 topics.weights）：同比上升（已扣除全市总量增长）、环比上升（扣除去年同期的季节变化）、本月预测（季节高峰将至）、诉求量、热点集中度、重复诉求率、不满意率、结构性根因占比（权责交叉、政策漏洞、基础设施短板、监管缺位）与预警。常年量大但没有上升的类别、负面清单诉求不作为候选。典型工单按文本与该类诉求中心的相似度（TF-IDF 余弦）选取。',
  };
}
