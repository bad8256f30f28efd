import type { Scored } from './score.js';

export interface ReasonContext {
  cityName: string;
  rootCauses: { tag: string; share: number }[];
  structuralShare: number | null;
  hotspots: string[];
  /** Hot cells holding the category's orders (the share's cells; `hotspots` lists the hottest of them). */
  hotCells: number;
  alertReasons: string[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${Math.round(Math.abs(x) * 100)}%`;
// from doubling on, a multiple reads better than a percentage: 环比增至10.5倍, not 环比上升952%
const change = (x: number) =>
  Math.round(x * 100) === 0
    ? '基本持平'
    : x >= 1
      ? `增至${(1 + x).toFixed(1)}倍`
      : x > 0
        ? `上升${pct(x)}`
        : `下降${pct(x)}`;

/** Below this many orders a percentage says more about the base than the change ("环比上升1594%" from 2 orders). */
export const MIN_PERCENT_BASE = 10;
// equal counts are 持平: "由1件增至1件" reads as a rise that did not happen
const fromTo = (from: number, to: number) =>
  Math.round(from) === Math.round(to)
    ? `持平（均为${int(to)}件）`
    : `由${int(from)}件${to > from ? '增至' : '降至'}${int(to)}件`;

/** The context of a category's reasons when nothing beyond its own counts is known: no root causes, hotspots or alerts. */
export function countsOnly(cityName: string): ReasonContext {
  return { cityName, rootCauses: [], structuralShare: null, hotspots: [], hotCells: 0, alertReasons: [] };
}

/**
 * The reasons a leader reads, strongest evidence first, e.g.
 * "上月1,240件，同比上升58%（已扣除全市总量增长8%），环比上升31%".
 */
export function reasonSentences(s: Scored, ctx: ReasonContext): string[] {
  const d = s.derived;
  const out: string[] = [];
  const parts = [`上月${int(s.metrics.n_last)}件`];
  if (d.yoy !== null) {
    // one 同比 per card: the plain per-day figure the fact box shows, then the growth-adjusted one the score uses,
    // named as such (a bare second percentage read as a contradiction of the first)
    const growth =
      d.cityGrowth !== null && Math.abs(d.cityGrowth) >= 0.005 && d.yoyAdjusted !== null
        ? `，扣除${ctx.cityName}其余诉求总量${d.cityGrowth >= 0 ? '增长' : '下降'}${pct(d.cityGrowth)}后为${change(d.yoyAdjusted)}`
        : '';
    parts.push(
      s.metrics.n_ly < MIN_PERCENT_BASE
        ? `同比${fromTo(s.metrics.n_ly, s.metrics.n_last)}`
        : `同比${change(d.yoy)}${growth}`,
    );
  } else if (s.metrics.n_ly === 0 && s.metrics.n_last > 0) parts.push('去年同期无数据或无此类诉求');
  if (d.mom !== null) {
    // the season taken out when it moves the picture: 环比+952% of heating in November is mostly every November's.
    // Last year's figure is the plain one, as counted (the score's carries a pseudo-count), from a base worth a
    // percentage; its months are named as aligned on the Spring Festival when they were.
    const ly = d.lyMomPlain;
    const lyBase = s.metrics.n_ly_prev ?? 0;
    const when = d.lyAligned ? '去年按春节对齐的同期' : '去年同期';
    const season =
      d.momAdjusted !== null && ly !== null && ly >= 0.1 && lyBase >= MIN_PERCENT_BASE
        ? `（${when}环比${change(ly)}，扣除季节变化后${change(d.momAdjusted)}）`
        : '';
    parts.push(
      s.metrics.n_prev < MIN_PERCENT_BASE
        ? `环比${fromTo(s.metrics.n_prev, s.metrics.n_last)}`
        : `环比${change(d.mom)}${season}`,
    );
  }
  out.push(parts.join('，'));

  const f = s.extras.forecast;
  if (f && d.ahead !== null) {
    const wave = s.components.forecast > 0 ? '，季节性高峰将至，宜提前部署' : '';
    const how = f.source === 'forecast' ? '预测' : '按去年同期季节规律推算';
    // the model was rescaled to a new level: say so, or a reader takes the figure for the usual seasonal pattern
    const shift = f.levelShift ? `（近期已${f.levelShift > 1 ? '明显高于' : '明显低于'}往年规律，按当前水平延续）` : '';
    const base = d.aheadBase === 'recent' ? '上月最后两周日均水平' : '上月日均水平';
    // as for 同比/环比, a comparison with a month of a few orders says more about the base than the change
    // ("预测本月约0件，较上月最后两周日均水平下降84%" from one order): the figure stands alone
    const vsLast =
      s.metrics.n_last < MIN_PERCENT_BASE
        ? ''
        : d.ahead >= 1
          ? `，约为${base}的${(1 + d.ahead).toFixed(1)}倍`
          : `，较${base}${change(d.ahead)}`;
    // A rise too young for the forecast's level-shift rule (under four weeks) is forecast back to last year's pattern:
    // "下降43%" beside a category proposed for rising tells a leader it will go away by itself. Say what the figure is.
    const young =
      !f.levelShift && d.ahead <= -0.2 && (s.components.yoy > 0 || s.components.mom > 0)
        ? '；此预测按往年规律，尚未计入近期上升，若上升持续将明显更高'
        : '';
    // a rise of 20 % or more (the size a reader takes for a wave) read from last year's change that did not clear the
    // bar (topics/score.ts seasonZMin) is said to be no more than that: "按去年同期季节规律推算本月约50件，较上月上升68%" read as a forecast, and 15 came (Konstanz 2022-01)
    const weak =
      f.source === 'seasonal_naive' && d.ahead >= 0.2 && s.components.forecast === 0
        ? '；仅凭去年一次变化，不足以断定高峰将至'
        : '';
    out.push(`${how}本月约${int(f.yhat)}件${shift}${vsLast}${wave}${young}${weak}`);
  }
  if (s.extras.hotShare !== null && s.extras.hotShare >= 0.05 && ctx.hotCells > 0) {
    out.push(`${pct(s.extras.hotShare)}的诉求集中在${ctx.hotCells}个热点区块`);
  }
  const rates: string[] = [];
  if (s.components.repeat >= 0.6 && d.cityRepeatRate > 0)
    rates.push(`重复诉求占${pct(d.repeatRate)}（全市${pct(d.cityRepeatRate)}）`);
  if (s.components.dissatisfaction >= 0.6 && d.unsatRate !== null && d.cityUnsatRate !== null)
    rates.push(`不满意率${pct(d.unsatRate)}（全市${pct(d.cityUnsatRate)}）`);
  if (rates.length) out.push(rates.join('，'));
  if (ctx.structuralShare !== null && ctx.structuralShare >= 0.2) {
    const top = ctx.rootCauses
      .slice(0, 2)
      .map((r) => `${r.tag}${pct(r.share)}`)
      .join('、');
    out.push(`结构性根因占${pct(ctx.structuralShare)}${top ? `：${top}` : ''}，需跨部门协同解决`);
  }
  // the weekly alert counts its own window (近4周, 近8周): labelled, so its figure is not read as the month's 同比
  if (ctx.alertReasons.length) out.push(`周度预警（按近几周计，与上面按月的数字口径不同）：${ctx.alertReasons[0]}`);
  return out;
}
