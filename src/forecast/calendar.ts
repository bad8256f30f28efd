import { readFileSync } from 'node:fs';
import { dataPath } from '../store/paths.js';

export type HolidayKey =
  'new_year' | 'spring_festival' | 'qingming' | 'labour_day' | 'dragon_boat' | 'mid_autumn' | 'national_day';

export const HOLIDAY_NAMES: Record<HolidayKey, string> = {
  new_year: '元旦',
  spring_festival: '春节',
  qingming: '清明节',
  labour_day: '劳动节',
  dragon_boat: '端午节',
  mid_autumn: '中秋节',
  national_day: '国庆节',
};

export interface Holiday {
  year: number;
  holiday: HolidayKey;
  /** The festival day itself (lunar festivals converted to the Gregorian date). */
  date: string;
  /** Days off, inclusive (official announcement, or the rule for years not yet announced). */
  start: string;
  end: string;
  source: 'official' | 'rule';
}

let cached: Holiday[] | undefined;

/** data/calendar/cn-holidays.csv (2015–2035), built by calendar-build.ts. */
export function loadHolidays(file = dataPath('calendar/cn-holidays.csv')): Holiday[] {
  if (cached && file === dataPath('calendar/cn-holidays.csv')) return cached;
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((line) => {
    const [year, holiday, , date, start, end, source] = line.split(',');
    return {
      year: Number(year),
      holiday: holiday as HolidayKey,
      date,
      start,
      end,
      source: source as Holiday['source'],
    };
  });
  if (file === dataPath('calendar/cn-holidays.csv')) cached = rows;
  return rows;
}

/** Spring Festival (lunar new year's day) by Gregorian year. */
export function springFestivals(holidays: Holiday[] = loadHolidays()): Map<number, string> {
  return new Map(holidays.filter((h) => h.holiday === 'spring_festival').map((h) => [h.year, h.date]));
}

/**
 * The holidays of the `forecast.calendar` setting: `cn` the embedded Chinese calendar, `none` no holidays at all
 * (a city outside China: its Spring Festival is an ordinary week), anything else a holiday file of the same
 * columns, resolved by `resolve` (relative to the config file).
 */
export function calendarHolidays(calendar: string, resolve: (p: string) => string): Holiday[] {
  if (calendar === 'cn') return loadHolidays();
  if (calendar === 'none') return [];
  return loadHolidays(resolve(calendar));
}
