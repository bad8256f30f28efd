import { addDays, addMonths, daysBetween } from '../store/dates.js';
import { countedDays } from '../store/data-end.js';

/** The months a topic for month M is judged on, as first days (YYYY-MM-DD). */
export interface MonthWindows {
  month: string;
  asOf: string;
  nextStart: string;
  lastStart: string;
  prevStart: string;
  /** The month before lyStart (M-14): last year's 环比, to take the season out of this year's. */
  lyPrevStart: string;
  lyStart: string;
  lyEnd: string;
  lyNextEnd: string;
}

const first = (m: string) => `${m}-01`;

export function monthWindows(month: string): MonthWindows {
  return {
    month,
    asOf: first(month),
    nextStart: first(addMonths(month, 1)),
    lastStart: first(addMonths(month, -1)),
    prevStart: first(addMonths(month, -2)),
    lyPrevStart: first(addMonths(month, -14)),
    lyStart: first(addMonths(month, -13)),
    lyEnd: first(addMonths(month, -12)),
    lyNextEnd: first(addMonths(month, -11)),
  };
}

/** Last year's two windows whose change is the season taken out of this year's 环比 (M−2 → M−1). */
export interface SeasonPair {
  prevStart: string;
  prevEnd: string;
  lastStart: string;
  lastEnd: string;
  /** The festival the windows were aligned on (its date this year), or null: the same calendar months a year ago. */
  alignedOn: string | null;
}

/** How near (days) the Spring Festival must fall to the two months compared for its break to weigh on them. */
export const FESTIVAL_REACH = 31;

/**
 * Last year's pair of windows for 环比's season. The rule: when the Spring Festival falls within FESTIVAL_REACH days
 * of the two months compared, last year's pair is this year's two windows moved back by the days between this
 * year's festival and last year's, so both pairs sit at the same distance from the holiday (and its school break);
 * otherwise, and under a calendar without the festival (`forecast.calendar: none`), it is the same two calendar
 * months a year earlier. Each window counts the days counted of its month (`cutDay`: data ending inside M−1).
 */
export function seasonPair(w: MonthWindows, cutDay: number, springFestivals: ReadonlyMap<number, string>): SeasonPair {
  const days = (m: number) => countedDays(addMonths(w.month, m), cutDay);
  const from = addDays(w.prevStart, -FESTIVAL_REACH);
  const to = addDays(w.asOf, FESTIVAL_REACH);
  const year = Number(w.asOf.slice(0, 4));
  for (const y of [year - 1, year]) {
    const now = springFestivals.get(y);
    const before = springFestivals.get(y - 1);
    if (!now || !before || now < from || now >= to) continue;
    const shift = -daysBetween(before, now);
    return {
      prevStart: addDays(w.prevStart, shift),
      prevEnd: addDays(w.prevStart, shift + days(-2)),
      lastStart: addDays(w.lastStart, shift),
      lastEnd: addDays(w.lastStart, shift + days(-1)),
      alignedOn: now,
    };
  }
  return {
    prevStart: w.lyPrevStart,
    prevEnd: addDays(w.lyPrevStart, days(-14)),
    lastStart: w.lyStart,
    lastEnd: addDays(w.lyStart, days(-13)),
    alignedOn: null,
  };
}
