import type * as vl from 'vega-lite';
import type { ForecastPoint, WeekPoint } from './data.js';

const COLORS = { actual: '#1f5fa8', lastYear: '#b8b8b8', forecast: '#e0702b' };

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
  const ahead = forecast.filter((f) => f.week >= asOf.slice(0, 10) || f.week > (series.at(-1)?.week ?? ''));
  for (const f of ahead) lines.push({ week: f.week, value: Math.round(f.yhat * 10) / 10, series: '预测' });
  const domain = ['实际', '去年同期', ...(ahead.length ? ['预测'] : [])];
  const range = [COLORS.actual, COLORS.lastYear, COLORS.forecast].slice(0, domain.length);
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
