import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCalendar, calendarCsv, lunarToSolar, qingming } from '../../src/forecast/calendar-build.js';
import { loadHolidays, springFestivals } from '../../src/forecast/calendar.js';
import { dataPath } from '../../src/store/paths.js';

// Published dates (紫金山天文台 / 国务院办公厅): independent of the generator's code paths.
const SPRING_FESTIVAL: Record<number, string> = {
  2015: '2015-02-19',
  2016: '2016-02-08',
  2017: '2017-01-28',
  2018: '2018-02-16',
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
};

describe('holiday calendar 2015–2035', () => {
  const rows = loadHolidays();

  it('has every festival of every year, ranges in order and holding the festival (or bridging to it)', () => {
    expect(rows).toHaveLength(21 * 7);
    for (const r of rows) {
      expect(r.start <= r.end, `${r.year} ${r.holiday}`).toBe(true);
      // The festival lies inside its break, and no break is longer than ten days.
      expect(r.start <= r.date && r.date <= r.end, `${r.year} ${r.holiday}`).toBe(true);
      expect((Date.parse(r.end) - Date.parse(r.start)) / 86_400_000).toBeLessThan(10);
    }
  });

  it('puts Spring Festival on the published date every year, including the 2027 and 2030 edge cases', () => {
    const sf = springFestivals(rows);
    for (const [year, date] of Object.entries(SPRING_FESTIVAL)) expect(sf.get(Number(year)), year).toBe(date);
  });

  it('gets the other lunar festivals and Qingming right on a sample of years', () => {
    const at = (year: number, h: string) => rows.find((r) => r.year === year && r.holiday === h)!.date;
    expect(at(2015, 'dragon_boat')).toBe('2015-06-20');
    expect(at(2023, 'dragon_boat')).toBe('2023-06-22');
    expect(at(2025, 'dragon_boat')).toBe('2025-05-31');
    expect(at(2017, 'mid_autumn')).toBe('2017-10-04');
    expect(at(2020, 'mid_autumn')).toBe('2020-10-01');
    expect(at(2024, 'mid_autumn')).toBe('2024-09-17');
    expect(at(2025, 'mid_autumn')).toBe('2025-10-06');
    expect(at(2035, 'mid_autumn')).toBe('2035-09-16');
    expect(qingming(2015)).toBe('2015-04-05');
    expect(qingming(2024)).toBe('2024-04-04');
    expect(qingming(2026)).toBe('2026-04-05');
    expect(lunarToSolar(2024, 1, 1)).toBe('2024-02-10');
  });

  it('uses the announced ranges where they exist (e.g. the 2020 extension, the 2026 nine-day break)', () => {
    const r = (year: number, h: string) => rows.find((x) => x.year === year && x.holiday === h)!;
    expect([r(2020, 'spring_festival').start, r(2020, 'spring_festival').end]).toEqual(['2020-01-24', '2020-02-02']);
    expect([r(2026, 'spring_festival').start, r(2026, 'spring_festival').end]).toEqual(['2026-02-15', '2026-02-23']);
    expect([r(2023, 'national_day').start, r(2023, 'national_day').end]).toEqual(['2023-09-29', '2023-10-06']);
    expect(r(2026, 'spring_festival').source).toBe('official');
    expect(r(2030, 'spring_festival').source).toBe('rule');
  });

  it('is exactly what the builder writes (the file is reproducible)', () => {
    expect(readFileSync(dataPath('calendar/cn-holidays.csv'), 'utf8')).toBe(calendarCsv(buildCalendar()));
  });
});
