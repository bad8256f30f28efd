import { addDays, addMonths, daysBetween, daysInMonth } from './dates.js';
import type { Store } from './db.js';
import { emptyDayRuns } from './empty-days.js';
import { sql } from './sql.js';

/** Whole days without a single order before the as-of from which the data may be taken to have stopped. */
const STALE_AFTER_DAYS = 2;
/** How far back a city's own quiet spells are looked up (a year: weekends, holidays and the winter lull). */
const OWN_QUIET_DAYS = 365;

export interface DataEnd {
  /** The as-of the weekly analyses stand on: the requested one, or the day after the last order when the data stopped. */
  asOf: string;
  /** The last day with any order before the requested as-of (null: none). */
  lastDay: string | null;
  /** Days between the last order and the requested as-of with no order at all (0 when the data is current). */
  missingDays: number;
}

/**
 * Where the data ends, as seen from an as-of. A city-wide day without a single order is an export that has not
 * arrived, not a quiet day: counted as zeros, six missing days made every weekly rate look like a fall and the
 * next forecast week like a surge. Two or more such days before the as-of move the analyses' as-of back to the
 * day after the last order — one day (an export a day late) does not, or every Monday run would lose a week — unless
 * the city has itself been as long without an order in the year before: a small board (3.6 reports a day, 61 empty
 * days in runs of up to 3) is then quiet, not stopped, and a hotline that is never silent keeps the two-day rule.
 */
export async function dataEnd(store: Store, asOf: string): Promise<DataEnd> {
  const lastDay = (await store.value<string | null>(sql('store/last_order_day.sql'), { as_of: asOf })) ?? null;
  const missingDays = lastDay ? daysBetween(lastDay, asOf) - 1 : 0;
  const stopped =
    lastDay !== null && missingDays >= STALE_AFTER_DAYS && missingDays > (await longestQuiet(store, lastDay));
  return { asOf: stopped && lastDay ? addDays(lastDay, 1) : asOf, lastDay, missingDays };
}

/** The longest run of days without any order in the year up to `lastDay` (emptyDayRuns, however quiet the city). */
async function longestQuiet(store: Store, lastDay: string): Promise<number> {
  const runs = await emptyDayRuns(store, addDays(lastDay, -OWN_QUIET_DAYS), addDays(lastDay, 1), 0);
  return runs.reduce((m, r) => Math.max(m, Number(r.days)), 0);
}

/** monthCutDay's value when the month before is all there. */
export const WHOLE_MONTH = 31;

/**
 * The day of the month before `month` (YYYY-MM) that the data reaches, when it stopped inside that month: monthly
 * comparisons then take the same first days of every month. WHOLE_MONTH: the whole month is there (also when the
 * data stopped after its last day); 0: none of it.
 */
export function monthCutDay(end: DataEnd, month: string, asOf: string): number {
  if (end.asOf >= asOf || !end.lastDay) return WHOLE_MONTH;
  const lastMonth = addMonths(month, -1);
  if (end.lastDay < `${lastMonth}-01`) return 0;
  const day = Number(end.lastDay.slice(8, 10));
  return day >= daysInMonth(lastMonth) ? WHOLE_MONTH : day;
}

/** The days of `month` (YYYY-MM) a per-day rate divides by when comparisons stop at `cutDay` (at least 1). */
export function countedDays(month: string, cutDay: number): number {
  return Math.max(1, Math.min(cutDay, daysInMonth(month)));
}
