import type { ForecastConfig } from './config.js';
import { loadHolidays, type Holiday } from './calendar.js';
import type { WeeklyWeather } from './weather.js';

const DAY_MS = 86_400_000;
export const dayNum = (date: string): number => Math.round(Date.parse(date + 'T00:00:00Z') / DAY_MS);
export const dayStr = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Days of [from, to] (inclusive day numbers) that fall in the week starting at day w. */
function overlap(w: number, from: number, to: number): number {
  return Math.max(0, Math.min(w + 6, to) - Math.max(w, from) + 1);
}

/**
 * A wave that multiplies the daily rate several-fold on d of a week's 7 days lifts the weekly count far more than
 * d/7 of the full effect on the log scale (three days at 5× make a week 2.7×, not 5^(3/7) = 2×). This concave map
 * of the day fraction (exact for a 10× effect) keeps the weekly log-linear model honest in onset weeks.
 */
function concave(f: number): number {
  return Math.log1p(9 * f) / Math.log(10);
}

export interface FeatureSpec {
  names: string[];
  /** Row of the design matrix for the week starting at day number w; `origin` is the first forecast week (trend zero). */
  row(w: number, origin: number): number[];
  /** Columns exempt from the ridge penalty (intercept, trend). */
  unpenalized: number[];
  /**
   * Whether the week starting at day number w lies in the Spring Festival season: four weeks before the break to
   * two weeks after it. The festival and the school winter break around it move by up to three weeks a year, so
   * this is where a calendar model misfits most.
   */
  festivalSeason(w: number): boolean;
}

interface Windows {
  springFestival: Array<{ sf: number; start: number; end: number }>;
  otherHolidays: Array<[number, number]>;
  heating: Array<[number, number]>;
  flood: Array<[number, number]>;
  school: number[];
}

/** Day spans from `before` days ahead of each Spring Festival break to `after` days past its end. */
export function springFestivalSpans(holidays: Holiday[], before: number, after: number): Array<[number, number]> {
  return holidays
    .filter((h) => h.holiday === 'spring_festival')
    .map((h) => [dayNum(h.start) - before, dayNum(h.end) + after]);
}

/** Whether the week starting at day number w touches any of the spans. */
export function weekTouches(w: number, spans: ReadonlyArray<[number, number]>): boolean {
  return spans.some(([a, b]) => w + 6 >= a && w <= b);
}

function md(year: number, mmdd: string): number {
  return dayNum(`${year}-${mmdd}`);
}

/** Years the seasonal windows are laid out over: every year a weekly series here can reach. */
const WINDOW_YEARS = Array.from({ length: 51 }, (_, i) => 2000 + i);

function windows(cfg: ForecastConfig, holidays: Holiday[]): Windows {
  const years = WINDOW_YEARS;
  const sf = holidays
    .filter((h) => h.holiday === 'spring_festival')
    .map((h) => ({ sf: dayNum(h.date), start: dayNum(h.start), end: dayNum(h.end) }));
  const other = holidays
    .filter((h) => h.holiday !== 'spring_festival')
    .map((h) => [dayNum(h.start), dayNum(h.end)] as [number, number]);
  const heating: Array<[number, number]> = [];
  if (cfg.heatingStart && cfg.heatingEnd) {
    for (const y of years) heating.push([md(y, cfg.heatingStart), md(y + 1, cfg.heatingEnd)]);
  }
  const flood: Array<[number, number]> = cfg.floodSeason
    ? years.map((y) => [md(y, cfg.floodSeason![0]), md(y, cfg.floodSeason![1])])
    : [];
  const school: number[] = [];
  if (cfg.autumnTermStart) {
    for (const y of years) school.push(md(y, cfg.autumnTermStart));
    for (const s of sf) {
      const year = dayStr(s.sf).slice(0, 4);
      const d = Math.max(s.sf + cfg.springTermAfterFestivalDays, dayNum(`${year}-${cfg.springTermEarliest}`));
      school.push(d + ((7 - ((d + 3) % 7)) % 7)); // the Monday on or after (day 0 was a Thursday)
    }
  }
  return { springFestival: sf, otherHolidays: other, heating, flood, school };
}

/** Column names of the design matrix, in the order calendarRow fills them. */
function featureNames(cfg: ForecastConfig, win: Windows, weather?: WeeklyWeather): string[] {
  const names = ['const', 'trend'];
  for (let k = 1; k <= cfg.fourierK; k++) names.push(`sin${k}`, `cos${k}`);
  if (win.springFestival.length) names.push('sf_before', 'sf_holiday', 'sf_after1', 'sf_after2');
  if (win.otherHolidays.length) names.push('holiday');
  if (win.heating.length) names.push('heat_pre', 'heat_on', 'heat_onset0', 'heat_onset1', 'heat_onset2', 'heat_end');
  if (win.flood.length) names.push('flood');
  if (win.school.length) names.push('school0', 'school1');
  if (weather) names.push('hdd', 'rain', 'rain_max');
  return names;
}

/** Spring Festival columns: the days of week w before, in and after each break (each a share of the week). */
function festivalCols(win: Windows, w: number): number[] {
  let before = 0,
    hol = 0,
    after1 = 0,
    after2 = 0;
  for (const s of win.springFestival) {
    if (Math.abs(s.sf - w) > 40) continue;
    before += overlap(w, s.start - 10, s.start - 1);
    hol += overlap(w, s.start, s.end);
    after1 += overlap(w, s.end + 1, s.end + 7);
    after2 += overlap(w, s.end + 8, s.end + 14);
  }
  return [before / 7, hol / 7, after1 / 7, after2 / 7];
}

/** Heating columns: the two weeks before the start, the season, its first three weeks and its end. */
function heatingCols(win: Windows, w: number): number[] {
  let pre = 0,
    on = 0,
    o0 = 0,
    o1 = 0,
    o2 = 0,
    end = 0;
  for (const [a, b] of win.heating) {
    if (b < w - 14 || a > w + 30) continue;
    pre += overlap(w, a - 14, a - 1);
    on += overlap(w, a, b);
    o0 += overlap(w, a, a + 6);
    o1 += overlap(w, a + 7, a + 13);
    o2 += overlap(w, a + 14, a + 20);
    end += overlap(w, b - 6, b + 7);
  }
  return [concave(pre / 7), concave(on / 7), concave(o0 / 7), concave(o1 / 7), concave(o2 / 7), end / 7];
}

/** The calendar part of the row for week w (everything but the trend, which depends on the origin). */
function calendarRow(cfg: ForecastConfig, win: Windows, w: number, origin: number, weather?: WeeklyWeather): number[] {
  const r: number[] = [1, 0];
  const mid = w + 3;
  const yearStart = dayNum(dayStr(mid).slice(0, 4) + '-01-01');
  const phase = (mid - yearStart) / 365.25;
  for (let k = 1; k <= cfg.fourierK; k++) r.push(Math.sin(2 * Math.PI * k * phase), Math.cos(2 * Math.PI * k * phase));
  if (win.springFestival.length) r.push(...festivalCols(win, w));
  if (win.otherHolidays.length) {
    let other = 0;
    for (const [a, b] of win.otherHolidays) if (b >= w && a <= w + 6) other += overlap(w, a, b);
    r.push(Math.min(other, 7) / 7);
  }
  if (win.heating.length) r.push(...heatingCols(win, w));
  if (win.flood.length) {
    let f = 0;
    for (const [a, b] of win.flood) f += overlap(w, a, b);
    r.push(f / 7);
  }
  if (win.school.length) {
    let s0 = 0,
      s1 = 0;
    for (const s of win.school) {
      s0 += overlap(w, s, s + 6);
      s1 += overlap(w, s + 7, s + 13);
    }
    r.push(s0 / 7, s1 / 7);
  }
  if (weather) {
    const x = weather.at(w, origin);
    r.push(x.hdd, x.rain, x.rainMax);
  }
  return r;
}

/**
 * The regressors of the weekly models: intercept, trend (years), K annual Fourier pairs, Spring Festival (the
 * holiday week and the weeks around it, which move with the lunar calendar), other public holidays, the heating
 * season with its onset weeks (the first cold weeks bring the wave), the flood season, school-opening weeks, and
 * heating-degree days and rainfall when a weather series is given. A calendar without a group (no holidays under
 * `calendar: none`, no heating in the south) has no columns for it.
 */
export function featureSpec(
  cfg: ForecastConfig,
  weather?: WeeklyWeather,
  holidays: Holiday[] = loadHolidays(),
): FeatureSpec {
  const win = windows(cfg, holidays);
  const names = featureNames(cfg, win, weather);
  const festival = springFestivalSpans(holidays, 28, 14);
  // Everything but the trend depends on the week alone (and weather on the origin): computed once per week.
  const cache = new Map<number, number[]>();
  return {
    names,
    unpenalized: [0, 1],
    festivalSeason: (w: number) => weekTouches(w, festival),
    row(w: number, origin: number): number[] {
      let base: number[] | undefined;
      // A week wholly before the origin has observed weather whatever the origin: cacheable.
      if (!weather || w + 7 <= origin) {
        base = cache.get(w);
        if (!base) {
          base = calendarRow(cfg, win, w, origin, weather);
          cache.set(w, base);
        }
      } else {
        base = calendarRow(cfg, win, w, origin, weather);
      }
      const r = base.slice();
      r[1] = (w - origin) / 365.25;
      return r;
    },
  };
}
