import { describe, expect, it } from 'vitest';
import { forecastStage } from '../../src/forecast/stage.js';
import { readForecasts, type ForecastSeriesOut } from '../../src/forecast/read.js';
import { tempStore, testContext } from '../helpers.js';
import { fixtureDays, insertDays, type DailyRow } from './fixture.js';

// CONTRACT §4: every level-1 and level-2 category with history gets a forecast. A category whose only orders fall
// in the partial week the data starts in (no complete week) is forecast from its daily rate (model 'rate'); one
// whose orders stopped long ago keeps its modelled series and a forecast near 0.
const AS_OF = '2024-09-30';
const START = '2024-01-05'; // a Friday: the data starts with a partial week

function rows(cat1: string, cat2: string, days: string[], n: number): DailyRow[] {
  return days.map((day) => ({ day, cat1, cat2, district: '东城区', street: '东城区一街道', n }));
}

function daysFrom(first: string, count: number): string[] {
  const t = Date.parse(first + 'T00:00:00Z');
  return Array.from({ length: count }, (_, i) => new Date(t + i * 86400000).toISOString().slice(0, 10));
}

async function run(data: DailyRow[]): Promise<Map<string, ForecastSeriesOut>> {
  const t = await tempStore();
  try {
    await insertDays(t.store, data);
    await forecastStage.run(testContext(t.store, AS_OF));
    const series = await readForecasts(t.store, AS_OF, 13);
    return new Map(series.filter((s) => s.scope.level === 'city').map((s) => [`${s.level}:${s.category}`, s]));
  } finally {
    t.cleanup();
  }
}

describe('forecast: categories with little or old history', () => {
  it('forecasts a category seen only in the partial first week from its daily rate, and keeps a stopped one near 0', async () => {
    const base = fixtureDays({ start: START, end: AS_OF, seed: 3 });
    const partialOnly = rows('新类', '新类/甲', daysFrom(START, 3), 2); // Fri–Sun, 6 orders
    const stopped = rows('旧类', '旧类/乙', daysFrom('2024-01-08', 28), 3); // 4 busy weeks, then 33 silent ones
    const byKey = await run([...base, ...partialOnly, ...stopped]);
    for (const k of ['1:新类', '2:新类/甲']) {
      const s = byKey.get(k);
      expect(s, k).toBeDefined();
      expect(s!.model).toBe('rate');
      expect(s!.history_weeks).toBe(0);
      expect(s!.points).toHaveLength(13);
      const days = (Date.parse(AS_OF) - Date.parse(START)) / 86400000;
      for (const p of s!.points) {
        expect(p.yhat).toBeCloseTo((7 * 6) / days, 2);
        expect(p.lo).toBeLessThanOrEqual(p.yhat);
        expect(p.hi).toBeGreaterThan(p.yhat);
      }
    }
    for (const k of ['1:旧类', '2:旧类/乙']) {
      const s = byKey.get(k);
      expect(s, k).toBeDefined();
      expect(s!.model).not.toBe('rate');
      for (const p of s!.points) expect(p.yhat).toBeLessThan(0.5);
    }
    // the categories with complete weeks keep their models
    expect(byKey.get('2:城乡建设/道路')!.model).not.toBe('rate');
  });

  it('forecasts every category when the data holds no complete week at all', async () => {
    const data = [
      ...rows('城乡建设', '城乡建设/道路', daysFrom('2024-09-27', 3), 5),
      ...rows('新类', '新类', ['2024-09-28'], 1),
    ];
    const byKey = await run(data);
    expect([...byKey.keys()].sort()).toEqual(['1:城乡建设', '1:新类', '2:城乡建设/道路']);
    // the as-of week is the first forecast week; 15 orders over the 3 days the data covers: 35 a week
    expect(byKey.get('2:城乡建设/道路')!.points[0].yhat).toBeCloseTo(35, 5);
  });
});
