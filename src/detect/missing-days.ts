import type { Store } from '../store/db.js';
import { addDays, daysBetween, weekStart } from '../store/dates.js';
import { emptyDayRuns, type EmptyRun } from '../store/empty-days.js';

/**
 * Days without a single order city-wide in a city busy enough that such a day is an export that was not loaded
 * (store/empty-days.ts, the rule the report and the forecast use), as a weekday bit mask per week index (0 = the
 * current week, counting back): bit d − 1 set when ISO weekday d (1 = Monday) of that week is missing.
 */
export async function missingWeekdays(
  store: Store,
  asOf: string,
  week0: string,
  weeks: number,
): Promise<{ mask: Uint8Array; runs: EmptyRun[] }> {
  const mask = new Uint8Array(weeks + 1);
  const runs = await emptyDayRuns(store, addDays(week0, -7 * weeks), asOf);
  for (const r of runs) {
    for (let d = r.first_day; d <= r.last_day; d = addDays(d, 1)) {
      const w = daysBetween(weekStart(d), week0) / 7;
      if (w >= 0 && w <= weeks) mask[w] |= 1 << daysBetween(weekStart(d), d);
    }
  }
  return { mask, runs };
}

/** Missing days in weeks from … to (week indexes, inclusive) of a mask from missingWeekdays. */
export function missingIn(mask: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let w = from; w <= Math.min(to, mask.length - 1); w++) for (let m = mask[w]; m; m &= m - 1) n++;
  return n;
}

/** Orders of one category on one ISO weekday over the year before the as-of (weekday_profile.sql). */
export interface WeekdayCount {
  level: number;
  category: string;
  dow: number;
  n: number;
}

/**
 * Orders of prior weight pulling a category's weekday shares toward the hotline's: a category of a few dozen orders
 * a year has no week of its own to speak of and is read with the hotline's.
 */
const PROFILE_PRIOR = 50;

/**
 * The exposure a category's counts are judged against when a week lacks days: the hotline's volume on the days seen
 * (what `total` holds), times how much more of the category's own week those days hold than of the hotline's. A week
 * with missing days is counted on its seen days, as a count with a smaller exposure — as a Poisson model with an
 * offset reads it — and neither as zeros nor as a whole week: a city-wide hole takes the same share of every
 * category only if every category's week is shaped alike, and a category busiest at weekends, with Wednesday to
 * Friday missing, holds 80 % of its week in the days seen where the hotline holds 52 %.
 * Keyed `${level}|${category}`; only categories whose week differs from the hotline's on some partial week.
 */
export function categoryExposures(
  rows: readonly WeekdayCount[],
  total: Float64Array,
  mask: Uint8Array,
): Map<string, Float64Array> {
  const hotline = new Float64Array(8);
  const byCat = new Map<string, Float64Array>();
  for (const r of rows) {
    const key = `${r.level}|${r.category}`;
    let a = byCat.get(key);
    if (!a) byCat.set(key, (a = new Float64Array(8)));
    a[r.dow] += r.n;
    if (r.level === 1) hotline[r.dow] += r.n;
  }
  const hotlineAll = hotline.reduce((s, x) => s + x, 0);
  const out = new Map<string, Float64Array>();
  if (hotlineAll <= 0) return out;
  const seenShare = (a: Float64Array, m: number) => {
    let s = 0;
    for (let d = 1; d <= 7; d++) if (!(m & (1 << (d - 1)))) s += a[d];
    return s;
  };
  for (const [key, a] of byCat) {
    const all = a.reduce((s, x) => s + x, 0);
    let exposure: Float64Array | null = null;
    for (let w = 0; w < mask.length && w < total.length; w++) {
      if (!mask[w]) continue;
      const hotlineSeen = seenShare(hotline, mask[w]) / hotlineAll;
      if (hotlineSeen <= 0) continue;
      const own = (seenShare(a, mask[w]) + PROFILE_PRIOR * hotlineSeen) / (all + PROFILE_PRIOR);
      exposure ??= Float64Array.from(total);
      exposure[w] = total[w] * (own / hotlineSeen);
    }
    if (exposure) out.set(key, exposure);
  }
  return out;
}

/** Weeks the longest test window reads (trend: the current week and the 7 before it). */
const TESTED_WEEKS = 8;

/**
 * The runs of missing days (missingWeekdays' rule) inside the weeks the tests read as of `at` (the as-of the
 * analyses stand on: store/data-end.ts): what `weisu alerts` names, since the weeks holding them were counted on
 * their seen days.
 */
export async function testedMissingDays(store: Store, at: string): Promise<EmptyRun[]> {
  const week0 = addDays(weekStart(at), -7);
  return emptyDayRuns(store, addDays(week0, -7 * (TESTED_WEEKS - 1)), at);
}
