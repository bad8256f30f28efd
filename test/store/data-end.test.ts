import { describe, expect, it } from 'vitest';
import { countedDays, monthCutDay, WHOLE_MONTH, type DataEnd } from '../../src/store/data-end.js';

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
