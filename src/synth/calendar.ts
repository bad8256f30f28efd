import { addDays, daysBetween } from '../store/dates.js';
import type { SeasonKind } from './categories.js';
import { Rng } from './random.js';

/** Lunar new year's day (春节), 2015–2035. */
export const SPRING_FESTIVAL: Record<number, string> = {
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

export const HEATING_START_MD = '11-15';
export const HEATING_END_MD = '03-15';

/** Monday on or after a date. */
function mondayOnOrAfter(date: string): string {
  const dow = (new Date(date + 'T00:00:00Z').getUTCDay() + 6) % 7;
  return dow === 0 ? date : addDays(date, 7 - dow);
}

export interface DayInfo {
  date: string;
  year: number;
  /** Day of year, 0-based. */
  doy: number;
  /** 0 = Monday … 6 = Sunday. */
  dow: number;
  temp: number;
  rain: number;
  storm: boolean;
  /** The day after a storm (drainage complaints still high). */
  afterStorm: boolean;
  coldSnap: boolean;
  /** Days since the heating season started (negative before; null outside Oct–Mar). */
  heatingDay: number | null;
  /** Days since the latest school opening (null when none within 30 days). */
  sinceSchoolOpening: number | null;
  schoolHoliday: boolean;
  /** Days since Spring Festival when within −10…+15, else null. */
  sinceSpringFestival: number | null;
}

export interface Calendar {
  days: DayInfo[];
  heatingStarts: string[];
  coldSnaps: string[];
  stormDays: string[];
  schoolOpenings: string[];
  springFestivals: string[];
}

function dayOfYear(date: string): number {
  return daysBetween(date.slice(0, 4) + '-01-01', date);
}

/** Normal daily mean temperature of a northern city (coldest mid-January ≈ −4 °C, warmest mid-July ≈ 27 °C). */
function normalTemp(doy: number): number {
  return 11.5 - 15.5 * Math.cos((2 * Math.PI * (doy - 17)) / 365.25);
}

/**
 * Weather and the calendar facts of every day in [start, end). Storms fall in the flood season (Jun–Sep), cold
 * snaps in mid-winter; both are written to truth.json and weather.csv so models can be checked against them.
 */
/** The dated seasonal facts of each year in [y0, y1]: storms, cold snaps, heating starts, school openings, festivals. */
interface SeasonalFacts {
  storms: Set<string>;
  snaps: Set<string>;
  heatingStarts: string[];
  schoolOpenings: string[];
  springFestivals: string[];
}

function seasonalFacts(seed: number, y0: number, y1: number): SeasonalFacts {
  const f: SeasonalFacts = {
    storms: new Set(),
    snaps: new Set(),
    heatingStarts: [],
    schoolOpenings: [],
    springFestivals: [],
  };
  for (let y = y0; y <= y1; y++) {
    const yr = new Rng(seed).fork(`year-${y}`);
    const nStorms = yr.range(4, 6);
    for (let i = 0; i < nStorms; i++) {
      const d = addDays(`${y}-06-10`, yr.int(105));
      f.storms.add(d);
    }
    // Cold snaps: 3–4 per winter (Dec 10 – Feb 20), each two days long.
    const nSnaps = yr.range(3, 4);
    for (let i = 0; i < nSnaps; i++) {
      const d = addDays(`${y}-12-10`, yr.int(72));
      f.snaps.add(d);
      f.snaps.add(addDays(d, 1));
    }
    f.heatingStarts.push(`${y}-${HEATING_START_MD}`);
    const sf = SPRING_FESTIVAL[y];
    if (sf) {
      f.springFestivals.push(sf);
      const spring = mondayOnOrAfter(addDays(sf, 18) > `${y}-02-20` ? addDays(sf, 18) : `${y}-02-20`);
      f.schoolOpenings.push(spring);
    }
    f.schoolOpenings.push(`${y}-09-01`);
  }
  return f;
}

/** Weather of one date: its own random stream, and a temperature anomaly summing the last 12 days' shocks. */
function weatherOf(seed: number, date: string, doy: number, storm: boolean, coldSnap: boolean) {
  const shock = (d: string) => new Rng(seed).fork(`shock-${d}`).normal(0, 1.8);
  const dr = new Rng(seed).fork(`day-${date}`);
  let anomaly = 0;
  for (let k = 0; k < 12; k++) anomaly += 0.7 ** k * shock(addDays(date, -k));
  let temp = normalTemp(doy) + anomaly - (coldSnap ? 9 : 0);
  const month = Number(date.slice(5, 7));
  const flood = month >= 6 && month <= 9;
  let rain = 0;
  if (storm) rain = 60 + dr.next() * 90;
  else if (dr.chance(flood ? 0.3 : month >= 4 && month <= 10 ? 0.12 : 0.05))
    rain = -Math.log(1 - dr.next()) * (flood ? 9 : 4);
  if (storm) temp -= 3;
  return { temp: Math.round(temp * 10) / 10, rain: Math.round(rain * 10) / 10 };
}

/** Where a date stands in the heating season, the school year and the Spring Festival. */
function seasonOf(date: string, year: number, openings: readonly string[]) {
  const md = date.slice(5);
  let heatingDay: number | null = null;
  if (md >= '10-01' || md <= '03-31') {
    const startYear = md >= '10-01' ? year : year - 1;
    heatingDay = daysBetween(`${startYear}-${HEATING_START_MD}`, date);
  }
  let sinceSchoolOpening: number | null = null;
  for (const o of openings) {
    const k = daysBetween(o, date);
    if (k >= 0 && k < 30) sinceSchoolOpening = k;
  }
  const sf = SPRING_FESTIVAL[year] ?? null;
  const sfNext = SPRING_FESTIVAL[year + 1] ?? null;
  let sinceSpringFestival: number | null = null;
  for (const s of [sf, sfNext]) {
    if (!s) continue;
    const k = daysBetween(s, date);
    if (k >= -10 && k <= 15) sinceSpringFestival = k;
  }
  const springOpening = openings.find((o) => o.slice(0, 4) === String(year) && o.slice(5, 7) !== '09');
  const winterBreak = sf && springOpening ? date >= addDays(sf, -12) && date < springOpening : false;
  const summerBreak = md >= '07-10' && md < '09-01';
  return { heatingDay, sinceSchoolOpening, schoolHoliday: winterBreak || summerBreak, sinceSpringFestival };
}

export function buildCalendar(seed: number, start: string, end: string): Calendar {
  // Fix the seasonal events year by year over a span wider than [start, end), so the same date gets the same
  // weather whatever period is asked for.
  const f = seasonalFacts(seed, Number(start.slice(0, 4)) - 1, Number(end.slice(0, 4)) + 1);
  const inRange = (d: string) => d >= start && d < end;
  const openings = f.schoolOpenings.slice().sort();
  const days: DayInfo[] = [];
  const n = daysBetween(start, end);
  // Each date has its own stream, so a date's weather does not depend on the period asked for.
  for (let i = 0; i < n; i++) {
    const date = addDays(start, i);
    const year = Number(date.slice(0, 4));
    const doy = dayOfYear(date);
    const storm = f.storms.has(date);
    const coldSnap = f.snaps.has(date);
    days.push({
      date,
      year,
      doy,
      dow: (new Date(date + 'T00:00:00Z').getUTCDay() + 6) % 7,
      ...weatherOf(seed, date, doy, storm, coldSnap),
      storm,
      afterStorm: f.storms.has(addDays(date, -1)),
      coldSnap,
      ...seasonOf(date, year, openings),
    });
  }
  return {
    days,
    heatingStarts: f.heatingStarts.filter(inRange),
    coldSnaps: [...f.snaps].sort().filter(inRange),
    stormDays: [...f.storms].sort().filter(inRange),
    schoolOpenings: openings.filter(inRange),
    springFestivals: f.springFestivals.filter(inRange),
  };
}

/** Multiplier of the weekday (Monday busiest, weekends quiet), mean 1 over a week. */
export const WEEKDAY = [1.12, 1.07, 1.05, 1.03, 1.0, 0.8, 0.75].map(
  (w, _i, a) => (w * 7) / a.reduce((x, y) => x + y, 0),
);

/** Spring Festival dip: every category, strongest on the day itself, back to normal after about two weeks. */
export function springFestivalFactor(day: DayInfo): number {
  const k = day.sinceSpringFestival;
  if (k === null) return 1;
  const table: Record<number, number> = {
    [-3]: 0.85,
    [-2]: 0.7,
    [-1]: 0.5,
    0: 0.4,
    1: 0.45,
    2: 0.5,
    3: 0.55,
    4: 0.6,
    5: 0.7,
    6: 0.8,
    7: 0.85,
    8: 0.9,
    9: 0.95,
  };
  return table[k] ?? 1;
}

/** Raw (un-normalised) seasonal multiplier of a category kind on a day. */
export function seasonRaw(kind: SeasonKind, day: DayInfo): number {
  const month = Number(day.date.slice(5, 7));
  const md = day.date.slice(5);
  switch (kind) {
    case 'none':
      return 1;
    case 'heating': {
      const h = day.heatingDay;
      let m = 0.25;
      if (h !== null) {
        if (h < -14) m = 0.25;
        else if (h < 0)
          m = 0.25 + (1.25 * (h + 14)) / 14; // pressure tests and fee questions before the start
        else if (md <= HEATING_END_MD || md >= '10-01') {
          m = 2.2 + 2.4 * Math.exp(-Math.max(0, h - 6) / 14); // the first-weeks wave, then the winter plateau
          m *= 1 + 0.02 * Math.max(0, -day.temp); // colder days, more 暖气不热
          if (day.coldSnap) m *= 1.5;
        } else if (md <= '03-25') m = 0.6; // 停暖 questions just after the season ends
      }
      return m;
    }
    case 'flood': {
      let m = month >= 6 && month <= 9 ? 1.8 : month === 12 || month <= 2 ? 0.5 : 1;
      if (day.rain > 10) m *= 1 + Math.min(day.rain, 60) / 40;
      if (day.storm) m *= 6;
      else if (day.afterStorm) m *= 3;
      return m;
    }
    case 'greenery': {
      let m = 1 + 0.5 * Math.cos((2 * Math.PI * (day.doy - 190)) / 365.25);
      if (day.storm || day.afterStorm) m *= 2.5; // fallen trees after a storm
      return m;
    }
    case 'noise':
      return 1 + 0.55 * Math.cos((2 * Math.PI * (day.doy - 196)) / 365.25);
    case 'air':
      return 1 + 0.4 * Math.cos((2 * Math.PI * (day.doy - 190)) / 365.25);
    case 'enrolment': {
      let m = 0.6;
      if (md >= '04-15' && md <= '06-30') m = 2.2;
      else if (month === 7) m = 1.3;
      else if ((month === 8 && md >= '08-15') || (month === 9 && md <= '09-15')) m = 1.8;
      if (day.sinceSchoolOpening !== null && day.sinceSchoolOpening < 10 && month !== 9) m = Math.max(m, 1.4);
      return m;
    }
    case 'school': {
      let m = day.schoolHoliday ? 0.3 : 1;
      if (day.sinceSchoolOpening !== null && day.sinceSchoolOpening < 14) m = 2.2 - day.sinceSchoolOpening * 0.06;
      return m;
    }
  }
}

/** Mean of the raw multiplier over a reference year, so a category's share is its share of a typical year. */
export function seasonNorms(seed: number): Record<SeasonKind, number> {
  // A fixed reference year, whatever period is generated: the same date gets the same rate in every run.
  const ref = buildCalendar(seed, '2023-01-01', '2024-01-01');
  const kinds: SeasonKind[] = ['heating', 'flood', 'greenery', 'noise', 'air', 'enrolment', 'school', 'none'];
  return Object.fromEntries(
    kinds.map((k) => [k, ref.days.reduce((a, d) => a + seasonRaw(k, d), 0) / ref.days.length]),
  ) as Record<SeasonKind, number>;
}
