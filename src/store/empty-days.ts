import type { Store } from './db.js';
import { sql } from './sql.js';

/** A city whose median day holds this many orders is never silent for a whole day: such a day is a missing export. */
export const EMPTY_DAY_MIN_DAILY = 10;

/** A run of consecutive days on which the whole city has no order at all. */
export interface EmptyRun {
  first_day: string;
  last_day: string;
  days: number;
}

/**
 * The runs of days in [from, before) without a single order city-wide, in a city busy enough that such a day is an
 * export that was not loaded rather than a quiet day (sql/store/empty_days.sql). One rule for every stage that must
 * not read a hole in the data as few orders: the report names the runs, the forecast counts a week's seen days.
 * `minDaily` 0 gives every run of empty days, however quiet the city (a city's own quiet spells, data-end.ts).
 */
export function emptyDayRuns(
  store: Store,
  from: string,
  before: string,
  minDaily = EMPTY_DAY_MIN_DAILY,
): Promise<EmptyRun[]> {
  return store.all<EmptyRun>(sql('store/empty_days.sql'), { as_of: before, last_start: from, min_daily: minDaily });
}
