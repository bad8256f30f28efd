import type { Store } from '../store/db.js';
import { emptyDayRuns } from '../store/empty-days.js';
import { dayNum } from './features.js';

/**
 * Day numbers inside the data's span [first, end) that hold no data: the report's rule (sql/store/empty_days.sql)
 * — a day without a single order city-wide, in a city whose median day holds EMPTY_DAY_MIN_DAILY (store/empty-days.ts) or more, is an
 * export that was not loaded, not a quiet day. A series counts the days it has seen in such a week instead of
 * reading the hole as a week of few orders (series.ts).
 */
export async function missingDays(store: Store, first: string, end: string): Promise<Set<number>> {
  const runs = await emptyDayRuns(store, first, end);
  const out = new Set<number>();
  for (const r of runs) for (let d = dayNum(r.first_day); d <= dayNum(r.last_day); d++) out.add(d);
  return out;
}

/**
 * A week's count read over its seen days: n × 7 / seen when some of its days are missing (days weigh alike, as in
 * the partial as-of week), null when all 7 are (filled from the weeks around it: fillMissingWeeks).
 */
export function weekOverSeenDays(n: number, week: number, missing: ReadonlySet<number>): number | null {
  if (missing.size === 0) return n;
  let seen = 7;
  for (let d = week; d < week + 7; d++) if (missing.has(d)) seen--;
  if (seen === 7) return n;
  return seen === 0 ? null : Math.round((n * 7) / seen);
}

/** Weeks with no day of data take the mean of the nearest weeks with data on either side (one side at an end). */
export function fillMissingWeeks(y: (number | null)[]): number[] {
  return y.map((v, i) => {
    if (v !== null) return v;
    let a = i - 1;
    while (a >= 0 && y[a] === null) a--;
    let b = i + 1;
    while (b < y.length && y[b] === null) b++;
    const sides = [a >= 0 ? y[a] : null, b < y.length ? y[b] : null].filter((x): x is number => x !== null);
    return sides.length ? Math.round(sides.reduce((s, x) => s + x, 0) / sides.length) : 0;
  });
}
