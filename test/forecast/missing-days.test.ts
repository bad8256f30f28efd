import { describe, expect, it } from 'vitest';
import { forecastStage } from '../../src/forecast/stage.js';
import { readForecasts } from '../../src/forecast/read.js';
import { fillMissingWeeks, weekOverSeenDays } from '../../src/forecast/missing-days.js';
import { tempStore, testContext } from '../helpers.js';
import { fixtureDays, insertDays, type DailyRow } from './fixture.js';

// Days without a single order city-wide inside the data's span, in a city whose median day holds 10+ orders, are an
// export not loaded (the report's rule, sql/store/empty_days.sql): a week holding them is read over its seen days,
// not as a quiet week. A small city with the same hole is read as before.
const AS_OF = '2024-09-30';
const HOLE = { from: '2024-09-10', to: '2024-09-26' }; // 17 days over three weeks: 1, 7 and 4 of them missing

async function week1(rows: DailyRow[], category: string): Promise<{ yhat: number; missing: unknown }> {
  const t = await tempStore();
  try {
    await insertDays(t.store, rows);
    // the hole rule reads the orders themselves: one order per counted order, as ingest would store them
    await t.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq,
                           seq, loaded_at)
       SELECT d.cat2 || d.district || d.day || '-' || r.range, d.day::TIMESTAMP, d.cat2, d.cat1, d.cat2, '',
              d.district, d.street, 0, 1, 1, now()::TIMESTAMP
       FROM daily_counts d, range(d.n) r`,
    );
    const counts = await forecastStage.run(testContext(t.store, AS_OF));
    const s = (await readForecasts(t.store, AS_OF, 13)).find(
      (x) => x.scope.level === 'city' && x.category === category,
    );
    return { yhat: s!.points[0].yhat, missing: counts.missing_days };
  } finally {
    t.cleanup();
  }
}

const inHole = (r: DailyRow) => r.day >= HOLE.from && r.day <= HOLE.to;

describe('forecast: days missing from the data', () => {
  it('reads a week with missing days over its seen days, in a city busy enough that an empty day is a hole', async () => {
    const days = fixtureDays({ start: '2023-01-02', end: AS_OF, seed: 9, flatBase: 40 });
    const whole = await week1(days, '城乡建设/道路');
    const holed = await week1(
      days.filter((r) => !inHole(r)),
      '城乡建设/道路',
    );
    expect(whole.missing).toBe(0);
    expect(holed.missing).toBe(17);
    expect(holed.yhat / whole.yhat).toBeGreaterThan(0.85);
    expect(holed.yhat / whole.yhat).toBeLessThan(1.15);
  });

  it('leaves a small city (median day under 10 orders) alone: its empty days may be quiet ones', async () => {
    const days = fixtureDays({ start: '2023-01-02', end: AS_OF, seed: 9, flatBase: 1, heatingBase: 1 });
    const holed = await week1(
      days.filter((r) => !inHole(r)),
      '城乡建设/道路',
    );
    expect(holed.missing).toBe(0);
  });

  it('scales a partly seen week by 7 / seen days and fills a week with no day of data from its neighbours', () => {
    const week = 100;
    expect(weekOverSeenDays(8, week, new Set([101, 102, 103, 104, 105, 106]))).toBe(56);
    expect(weekOverSeenDays(8, week, new Set())).toBe(8);
    expect(weekOverSeenDays(0, week, new Set([100, 101, 102, 103, 104, 105, 106]))).toBeNull();
    expect(fillMissingWeeks([10, null, null, 20])).toEqual([10, 15, 15, 20]);
    expect(fillMissingWeeks([null, 6])).toEqual([6, 6]);
  });
});
