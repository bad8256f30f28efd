import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seriesCaption, seriesDrawn, seriesSpec } from '../../src/report/charts.js';
import type { ReportCandidate } from '../../src/report/data.js';
import { chartForecast } from '../../src/report/document.js';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

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

describe('top-categories chart caption', () => {
  // Boston 311 (one year) read "上月诉求量最多的类别（与去年同月对比）" under bars of one month only
  async function caption(from: string): Promise<string> {
    const env = await tempStore();
    try {
      await seedOrders(
        env.store,
        [{ cat2: '城乡建设/路灯', perDay: steady(20), texts: ['路灯不亮'] }],
        from,
        '2025-11-01',
      );
      const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
      const html = readFileSync(String(counts.html), 'utf8');
      return /上月诉求量最多的类别[^<]*/.exec(html)?.[0] ?? '';
    } finally {
      env.cleanup();
    }
  }

  it('says 与去年同月对比 only when a year earlier is drawn', async () => {
    expect(await caption('2025-08-01')).toBe('上月诉求量最多的类别');
    expect(await caption('2024-09-01')).toBe('上月诉求量最多的类别（与去年同月对比）');
  }, 60_000);
});
