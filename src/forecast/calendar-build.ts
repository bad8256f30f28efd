/**
 * Writes data/calendar/cn-holidays.csv: China's public holidays 2015–2035 with the festival day and the official
 * holiday range (放假安排, including 调休 bridges). Lunar festivals come from ICU's Chinese calendar (Intl), and
 * Qingming from the solar-term formula; ranges are the State Council's announcements up to 2026 and a rule
 * that follows recent practice for later years (source = rule). Run: node --import tsx src/forecast/calendar-build.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataPath } from '../store/paths.js';
import { addDays } from '../store/dates.js';
import { HOLIDAY_NAMES, type HolidayKey } from './calendar.js';

const lunarFormat = new Intl.DateTimeFormat('en-u-ca-chinese', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** The Gregorian date of lunar month/day in the lunar year that starts in Gregorian year `year` (not leap months). */
export function lunarToSolar(year: number, month: number, day: number): string {
  for (let d = Date.UTC(year, 0, 1); d < Date.UTC(year + 1, 0, 1); d += 86_400_000) {
    const parts = lunarFormat.formatToParts(new Date(d));
    const m = parts.find((p) => p.type === 'month')?.value;
    const dd = parts.find((p) => p.type === 'day')?.value;
    const ry = parts.find((p) => (p.type as string) === 'relatedYear')?.value;
    if (m === String(month) && dd === String(day) && ry === String(year)) return new Date(d).toISOString().slice(0, 10);
  }
  throw new Error(`no lunar ${month}/${day} in ${year}`);
}

/** Qingming (清明, a solar term): April 4 or 5 in this century (the "寿星" formula, C = 4.81). */
export function qingming(year: number): string {
  const y = year % 100;
  const day = Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}

/**
 * ICU's Chinese calendar uses an approximate new-moon ephemeris; in 2027 and 2030 the new moon that opens the
 * year falls within minutes of Beijing midnight and ICU puts it on the following day. These are the dates of the
 * Purple Mountain Observatory (紫金山天文台) tables.
 */
const NEW_YEAR_CORRECTIONS: Record<number, string> = { 2027: '2027-02-06', 2030: '2030-02-03' };

type Range = [string, string];
/** Announced holiday ranges (国务院办公厅 放假安排), inclusive. */
const OFFICIAL: Record<number, Partial<Record<HolidayKey, Range>>> = {
  2015: {
    new_year: ['2015-01-01', '2015-01-03'],
    spring_festival: ['2015-02-18', '2015-02-24'],
    qingming: ['2015-04-04', '2015-04-06'],
    labour_day: ['2015-05-01', '2015-05-03'],
    dragon_boat: ['2015-06-20', '2015-06-22'],
    mid_autumn: ['2015-09-26', '2015-09-27'],
    national_day: ['2015-10-01', '2015-10-07'],
  },
  2016: {
    new_year: ['2016-01-01', '2016-01-03'],
    spring_festival: ['2016-02-07', '2016-02-13'],
    qingming: ['2016-04-02', '2016-04-04'],
    labour_day: ['2016-04-30', '2016-05-02'],
    dragon_boat: ['2016-06-09', '2016-06-11'],
    mid_autumn: ['2016-09-15', '2016-09-17'],
    national_day: ['2016-10-01', '2016-10-07'],
  },
  2017: {
    new_year: ['2016-12-31', '2017-01-02'],
    spring_festival: ['2017-01-27', '2017-02-02'],
    qingming: ['2017-04-02', '2017-04-04'],
    labour_day: ['2017-04-29', '2017-05-01'],
    dragon_boat: ['2017-05-28', '2017-05-30'],
    mid_autumn: ['2017-10-01', '2017-10-08'],
    national_day: ['2017-10-01', '2017-10-08'],
  },
  2018: {
    new_year: ['2017-12-30', '2018-01-01'],
    spring_festival: ['2018-02-15', '2018-02-21'],
    qingming: ['2018-04-05', '2018-04-07'],
    labour_day: ['2018-04-29', '2018-05-01'],
    dragon_boat: ['2018-06-16', '2018-06-18'],
    mid_autumn: ['2018-09-22', '2018-09-24'],
    national_day: ['2018-10-01', '2018-10-07'],
  },
  2019: {
    new_year: ['2018-12-30', '2019-01-01'],
    spring_festival: ['2019-02-04', '2019-02-10'],
    qingming: ['2019-04-05', '2019-04-07'],
    labour_day: ['2019-05-01', '2019-05-04'],
    dragon_boat: ['2019-06-07', '2019-06-09'],
    mid_autumn: ['2019-09-13', '2019-09-15'],
    national_day: ['2019-10-01', '2019-10-07'],
  },
  2020: {
    new_year: ['2020-01-01', '2020-01-01'],
    spring_festival: ['2020-01-24', '2020-02-02'],
    qingming: ['2020-04-04', '2020-04-06'],
    labour_day: ['2020-05-01', '2020-05-05'],
    dragon_boat: ['2020-06-25', '2020-06-27'],
    mid_autumn: ['2020-10-01', '2020-10-08'],
    national_day: ['2020-10-01', '2020-10-08'],
  },
  2021: {
    new_year: ['2021-01-01', '2021-01-03'],
    spring_festival: ['2021-02-11', '2021-02-17'],
    qingming: ['2021-04-03', '2021-04-05'],
    labour_day: ['2021-05-01', '2021-05-05'],
    dragon_boat: ['2021-06-12', '2021-06-14'],
    mid_autumn: ['2021-09-19', '2021-09-21'],
    national_day: ['2021-10-01', '2021-10-07'],
  },
  2022: {
    new_year: ['2022-01-01', '2022-01-03'],
    spring_festival: ['2022-01-31', '2022-02-06'],
    qingming: ['2022-04-03', '2022-04-05'],
    labour_day: ['2022-04-30', '2022-05-04'],
    dragon_boat: ['2022-06-03', '2022-06-05'],
    mid_autumn: ['2022-09-10', '2022-09-12'],
    national_day: ['2022-10-01', '2022-10-07'],
  },
  2023: {
    new_year: ['2022-12-31', '2023-01-02'],
    spring_festival: ['2023-01-21', '2023-01-27'],
    qingming: ['2023-04-05', '2023-04-05'],
    labour_day: ['2023-04-29', '2023-05-03'],
    dragon_boat: ['2023-06-22', '2023-06-24'],
    mid_autumn: ['2023-09-29', '2023-10-06'],
    national_day: ['2023-09-29', '2023-10-06'],
  },
  2024: {
    new_year: ['2024-01-01', '2024-01-01'],
    spring_festival: ['2024-02-10', '2024-02-17'],
    qingming: ['2024-04-04', '2024-04-06'],
    labour_day: ['2024-05-01', '2024-05-05'],
    dragon_boat: ['2024-06-08', '2024-06-10'],
    mid_autumn: ['2024-09-15', '2024-09-17'],
    national_day: ['2024-10-01', '2024-10-07'],
  },
  2025: {
    new_year: ['2025-01-01', '2025-01-01'],
    spring_festival: ['2025-01-28', '2025-02-04'],
    qingming: ['2025-04-04', '2025-04-06'],
    labour_day: ['2025-05-01', '2025-05-05'],
    dragon_boat: ['2025-05-31', '2025-06-02'],
    mid_autumn: ['2025-10-01', '2025-10-08'],
    national_day: ['2025-10-01', '2025-10-08'],
  },
  2026: {
    new_year: ['2026-01-01', '2026-01-03'],
    spring_festival: ['2026-02-15', '2026-02-23'],
    qingming: ['2026-04-04', '2026-04-06'],
    labour_day: ['2026-05-01', '2026-05-05'],
    dragon_boat: ['2026-06-19', '2026-06-21'],
    mid_autumn: ['2026-09-25', '2026-09-27'],
    national_day: ['2026-10-01', '2026-10-07'],
  },
};

/** A three-day break around a one-day festival, bridged to the nearest weekend the way recent years were. */
function threeDay(date: string): Range {
  const dow = new Date(date + 'T00:00:00Z').getUTCDay(); // 0 = Sunday
  switch (dow) {
    case 1:
      return [addDays(date, -2), date]; // Sat–Mon
    case 2:
      return [addDays(date, -2), date]; // Sun–Tue (with a makeup Saturday)
    case 3:
      return [date, date];
    case 4:
      return [date, addDays(date, 2)]; // Thu–Sat
    case 5:
      return [date, addDays(date, 2)]; // Fri–Sun
    case 6:
      return [date, addDays(date, 2)]; // Sat–Mon
    default:
      return [addDays(date, -1), addDays(date, 1)]; // Sat–Mon
  }
}

export interface HolidayRow {
  year: number;
  holiday: HolidayKey;
  name_zh: string;
  date: string;
  start: string;
  end: string;
  source: 'official' | 'rule';
}

export function buildCalendar(from = 2015, to = 2035): HolidayRow[] {
  const rows: HolidayRow[] = [];
  for (let year = from; year <= to; year++) {
    const dates: Record<HolidayKey, string> = {
      new_year: `${year}-01-01`,
      spring_festival: NEW_YEAR_CORRECTIONS[year] ?? lunarToSolar(year, 1, 1),
      qingming: qingming(year),
      labour_day: `${year}-05-01`,
      dragon_boat: lunarToSolar(year, 5, 5),
      mid_autumn: lunarToSolar(year, 8, 15),
      national_day: `${year}-10-01`,
    };
    const midAutumnInGoldenWeek = dates.mid_autumn >= `${year}-09-29` && dates.mid_autumn <= `${year}-10-08`;
    const rule: Record<HolidayKey, Range> = {
      new_year: threeDay(dates.new_year),
      spring_festival: [addDays(dates.spring_festival, -1), addDays(dates.spring_festival, 6)],
      qingming: threeDay(dates.qingming),
      labour_day: [`${year}-05-01`, `${year}-05-05`],
      dragon_boat: threeDay(dates.dragon_boat),
      mid_autumn: midAutumnInGoldenWeek ? [`${year}-10-01`, `${year}-10-08`] : threeDay(dates.mid_autumn),
      national_day: midAutumnInGoldenWeek ? [`${year}-10-01`, `${year}-10-08`] : [`${year}-10-01`, `${year}-10-07`],
    };
    for (const key of Object.keys(dates) as HolidayKey[]) {
      const official = OFFICIAL[year]?.[key];
      const [start, end] = official ?? rule[key];
      rows.push({
        year,
        holiday: key,
        name_zh: HOLIDAY_NAMES[key],
        date: dates[key],
        start,
        end,
        source: official ? 'official' : 'rule',
      });
    }
  }
  return rows;
}

export function calendarCsv(rows: HolidayRow[]): string {
  const head = 'year,holiday,name_zh,date,start,end,source';
  return (
    [head, ...rows.map((r) => [r.year, r.holiday, r.name_zh, r.date, r.start, r.end, r.source].join(','))].join('\n') +
    '\n'
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = dataPath('calendar/cn-holidays.csv');
  writeFileSync(out, calendarCsv(buildCalendar()));
  process.stdout.write(`wrote ${out}\n`);
}
