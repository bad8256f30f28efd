import { describe, expect, it } from 'vitest';
import { seriesCaption, seriesDrawn, seriesSpec } from '../../src/report/charts.js';
import type { ReportCandidate } from '../../src/report/data.js';
import { chartForecast } from '../../src/report/document.js';

/**
 * A candidate's chart and its caption name only the lines drawn: the 人民网 留言板 export covers one year and has no
 * forecast for its categories, yet each card said "实际、去年同期与预测（阴影为80%预测区间）" and the legend listed 去年同期.
 */
const weeks = ['2022-11-28', '2022-12-05', '2022-12-12', '2022-12-19', '2022-12-26'];
const oneYear = weeks.map((week, i) => ({ week, n: 10 + i, n_last_year: null }));
const twoYears = weeks.map((week, i) => ({ week, n: 10 + i, n_last_year: 8 }));
const ahead = [{ week: '2023-01-02', yhat: 12, lo: 9, hi: 15 }];

function legend(spec: ReturnType<typeof seriesSpec>): string[] {
  const layers = (spec as unknown as { layer: { encoding?: { color?: { scale: { domain: string[] } } } }[] }).layer;
  return layers.find((l) => l.encoding?.color)!.encoding!.color!.scale.domain;
}

describe('candidate chart caption', () => {
  it('names only the actual line when there is neither a year earlier nor a forecast', () => {
    expect(seriesCaption(seriesDrawn(oneYear, [], '2023-01-01'))).toBe('每周诉求量：实际');
    expect(legend(seriesSpec('三农', oneYear, [], '2023-01-01'))).toEqual(['实际']);
  });

  it('names the forecast and its band without a year earlier', () => {
    expect(seriesCaption(seriesDrawn(oneYear, ahead, '2023-01-01'))).toBe(
      '每周诉求量：实际与预测（阴影为80%预测区间）',
    );
    expect(legend(seriesSpec('三农', oneYear, ahead, '2023-01-01'))).toEqual(['实际', '预测']);
  });

  it('names all three when all are drawn', () => {
    expect(seriesCaption(seriesDrawn(twoYears, ahead, '2023-01-01'))).toBe(
      '每周诉求量：实际、去年同期与预测（阴影为80%预测区间）',
    );
    expect(legend(seriesSpec('三农', twoYears, ahead, '2023-01-01'))).toEqual(['实际', '去年同期', '预测']);
  });
});

describe('candidate chart forecast', () => {
  // the card's 本月预测 203 (按去年季节推算) stood over a model line summing to about 150 (generated city, April)
  const data = { forecasts: new Map([['教育/入学招生', ahead]]) };
  const card = (source: string | null) =>
    ({ category: '教育/入学招生', evidence: { forecast_source: source } }) as unknown as ReportCandidate;

  it("draws the model's forecast only when the card's 本月预测 is that model's", () => {
    expect(chartForecast(card('forecast'), data)).toEqual(ahead);
    expect(chartForecast(card('seasonal_naive'), data)).toEqual([]);
    expect(chartForecast(card(null), data)).toEqual([]);
  });
});
