import { describe, expect, it } from 'vitest';
import { countedDays, dataEnd, monthCutDay, WHOLE_MONTH, type DataEnd } from '../../src/store/data-end.js';
import { addDays } from '../../src/store/dates.js';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { ingest, writeText } from '../ingest/util.js';

const end = (lastDay: string, asOf: string): DataEnd => ({ asOf, lastDay, missingDays: 0 });

describe('the day of last month the data reaches', () => {
  it('is the last order day inside the month, 0 before it, and the whole month once its last day is in', () => {
    // December's topics (as of 12-01) on data that stopped on 11-24, 10-31 and 11-30, read days later
    expect(monthCutDay(end('2026-11-24', '2026-11-25'), '2026-12', '2026-12-01')).toBe(24);
    expect(monthCutDay(end('2026-10-31', '2026-11-01'), '2026-12', '2026-12-01')).toBe(0);
    // the data stopped after November was complete: nothing of November is missing
    expect(monthCutDay(end('2026-11-30', '2026-12-01'), '2026-12', '2026-12-03')).toBe(WHOLE_MONTH);
    // current data
    expect(monthCutDay(end('2026-11-30', '2026-12-01'), '2026-12', '2026-12-01')).toBe(WHOLE_MONTH);
  });

  it('divides a month by the days counted of it', () => {
    expect(countedDays('2026-02', WHOLE_MONTH)).toBe(28);
    expect(countedDays('2026-11', 24)).toBe(24);
    expect(countedDays('2026-11', 0)).toBe(1);
  });
});

/** A city of `perDay` orders a day from 2025-01-01 to `lastDay`, with no order on the days of `quiet`. */
function cityCsv(perDay: number, lastDay: string, quiet: Set<string>): string {
  const rows = ['order_id,created_at,category,content'];
  for (let d = '2025-01-01'; d <= lastDay; d = addDays(d, 1)) {
    if (quiet.has(d)) continue;
    for (let i = 0; i < perDay; i++) rows.push(`${d}-${i},${d} 09:${String(i % 60).padStart(2, '0')}:00,城市管理,垃圾`);
  }
  return rows.join('\n') + '\n';
}

describe('where the data ends', () => {
  it('is before a gap of two days in a city never silent, but not in one that has been as quiet before', async () => {
    const t = await tempStore();
    try {
      // a board quiet for 3 days in a row in the spring; its data now ends on 06-30
      const spells = new Set(['2025-03-10', '2025-03-11', '2025-03-12']);
      await ingest(t.store, [writeText(t.dir, 'quiet.csv', cityCsv(3, '2025-06-30', spells))]);
      await aggregateStage.run(testContext(t.store, '2025-07-01'));
      // three empty days before the as-of: as quiet as the city has been, so the data is current
      expect((await dataEnd(t.store, '2025-07-04')).asOf).toBe('2025-07-04');
      // four: longer than any quiet spell of its year, so the data stopped
      expect(await dataEnd(t.store, '2025-07-05')).toEqual({
        asOf: '2025-07-01',
        lastDay: '2025-06-30',
        missingDays: 4,
      });
      // one day late is never a stop
      expect((await dataEnd(t.store, '2025-07-02')).asOf).toBe('2025-07-02');
    } finally {
      t.cleanup();
    }
    const busy = await tempStore();
    try {
      await ingest(busy.store, [writeText(busy.dir, 'busy.csv', cityCsv(3, '2025-06-30', new Set()))]);
      await aggregateStage.run(testContext(busy.store, '2025-07-01'));
      expect(await dataEnd(busy.store, '2025-07-03')).toEqual({
        asOf: '2025-07-01',
        lastDay: '2025-06-30',
        missingDays: 2,
      });
    } finally {
      busy.cleanup();
    }
  }, 60_000);
});
