import type * as vl from 'vega-lite';
import type { ForecastPoint, WeekPoint } from './data.js';

const COLORS = { actual: '#1f5fa8', lastYear: '#b8b8b8', forecast: '#e0702b' };

const forecastAhead = (series: WeekPoint[], forecast: ForecastPoint[], asOf: string) =>
  forecast.filter((f) => f.week >= asOf.slice(0, 10) || f.week > (series.at(-1)?.week ?? ''));

/** Which lines a candidate's chart draws: the year-earlier line and the forecast only where there are such figures. */
export function seriesDrawn(series: WeekPoint[], forecast: ForecastPoint[], asOf: string) {
  return {
    lastYear: series.some((p) => p.n_last_year !== null),
    forecast: forecastAhead(series, forecast, asOf).length > 0,
  };
}

/**
 * The chart's caption names only what it draws: an export of one year has no 去年同期 line, a category with no
 * forecast no band (the 人民网 留言板 cards said "实际、去年同期与预测（阴影为80%预测区间）" over one line).
 */
export function seriesCaption(drawn: { lastYear: boolean; forecast: boolean }): string {
  const what = ['实际', ...(drawn.lastYear ? ['去年同期'] : []), ...(drawn.forecast ? ['预测'] : [])];
  const names = what.length > 1 ? `${what.slice(0, -1).join('、')}与${what.at(-1)}` : what[0];
  return `每周诉求量：${names}${drawn.forecast ? '（阴影为80%预测区间）' : ''}`;
}

/**
 * A candidate's weekly series: actual orders, the same weeks a year earlier, and the forecast with its 80% band,
 * with a rule at the as-of. Built as a Vega-Lite spec (rendered to SVG by render-svg).
 */
export function seriesSpec(
  category: string,
  series: WeekPoint[],
  forecast: ForecastPoint[],
  asOf: string,
): vl.TopLevelSpec {
  const lines: { week: string; value: number; series: string }[] = [];
  for (const p of series) {
    lines.push({ week: p.week, value: p.n, series: '实际' });
    if (p.n_last_year !== null) lines.push({ week: p.week, value: p.n_last_year, series: '去年同期' });
  }
  const ahead = forecastAhead(series, forecast, asOf);
  for (const f of ahead) lines.push({ week: f.week, value: Math.round(f.yhat * 10) / 10, series: '预测' });
  const drawn = seriesDrawn(series, forecast, asOf);
  const domain = ['实际', ...(drawn.lastYear ? ['去年同期'] : []), ...(drawn.forecast ? ['预测'] : [])];
  const colour: Record<string, string> = { 实际: COLORS.actual, 去年同期: COLORS.lastYear, 预测: COLORS.forecast };
  const range = domain.map((d) => colour[d]);
  const layers: Record<string, unknown>[] = [];
  if (ahead.length) {
    layers.push({
      data: { values: ahead.map((f) => ({ week: f.week, lo: f.lo, hi: f.hi })) },
      mark: { type: 'area', color: COLORS.forecast, opacity: 0.18 },
      encoding: {
        x: { field: 'week', type: 'temporal' },
        y: { field: 'lo', type: 'quantitative' },
        y2: { field: 'hi' },
      },
    });
  }
  layers.push({
    data: { values: lines },
    mark: { type: 'line', strokeWidth: 2, interpolate: 'monotone' },
    encoding: {
      x: { field: 'week', type: 'temporal', title: null, axis: { format: '%y年%-m月', tickCount: 8, labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: '件/周' },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain, range } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        legend: null,
        scale: { domain, range: domain.map((d) => (d === '预测' ? [5, 3] : d === '去年同期' ? [2, 2] : [1, 0])) },
      },
    },
  });
  layers.push({
    data: { values: [{ d: asOf, label: '本月起' }] },
    mark: { type: 'rule', color: '#888', strokeDash: [3, 3] },
    encoding: { x: { field: 'd', type: 'temporal' } },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    description: `${category} weekly orders`,
    width: 620,
    height: 180,
    layer: layers,
  } as unknown as vl.TopLevelSpec;
}

/** Overview bars: last month's largest categories against the same month a year earlier. */
export function topCategoriesSpec(
  rows: { category: string; name: string; n_last: number; n_ly: number | null }[],
  lastMonth: string,
): vl.TopLevelSpec {
  const values = rows.flatMap((r) => [
    { category: r.name, period: `${lastMonth}`, n: r.n_last },
    ...(r.n_ly !== null ? [{ category: r.name, period: '去年同月', n: r.n_ly }] : []),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560,
    data: { values },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      // vega measures text without a canvas and under-estimates CJK widths: reserve the label space explicitly
      y: {
        field: 'category',
        type: 'nominal',
        sort: null,
        title: null,
        axis: { minExtent: 96, labelLimit: 200, labelPadding: 6 },
      },
      yOffset: { field: 'period', sort: [lastMonth, '去年同月'] },
      x: { field: 'n', type: 'quantitative', title: '件' },
      color: {
        field: 'period',
        type: 'nominal',
        title: null,
        sort: [lastMonth, '去年同月'],
        scale: { range: [COLORS.actual, COLORS.lastYear] },
      },
    },
    height: { step: 11 },
  } as vl.TopLevelSpec;
}
