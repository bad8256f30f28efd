import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { daysBetween } from '../store/dates.js';
import type { KeyedForecast } from './engine.js';
import { dayNum } from './features.js';
import { seriesKeyString } from './series.js';

/** Orders already in the data for the first forecast week, per series (`seriesKeyString`), and how many days they span. */
export interface ObservedDays {
  days: number;
  counts: Map<string, number>;
}

/**
 * The orders of the first forecast week's days before `end` (the as-of, or the day after the data stops when it
 * stopped earlier). weekly_series.sql over those days gives one row per series, all in that week.
 */
export async function observedDays(store: Store, firstWeek: string, end: string, city: string): Promise<ObservedDays> {
  const days = Math.min(7, Math.max(0, daysBetween(firstWeek, end)));
  const counts = new Map<string, number>();
  if (days === 0) return { days, counts };
  const rows = await store.all<{ level: number; category: string; scope_level: string; scope_name: string; n: number }>(
    sql('forecast/weekly_series.sql'),
    { from_week: firstWeek, to_week: end, city },
  );
  for (const r of rows)
    counts.set(
      seriesKeyString({ scopeLevel: r.scope_level, scopeName: r.scope_name, level: r.level, category: r.category }),
      Number(r.n),
    );
  return { days, counts };
}

/**
 * The first forecast week when some of its days are already in the data: the orders of those days plus the
 * model's week scaled to the days still to come (days weigh alike), and the band likewise. Forecasting the whole
 * week as unseen threw away 6 of its 7 days (人民网, as of a Sunday) and scored the model on days it had been told.
 */
export function withObservedDays(results: KeyedForecast[], firstWeek: string, seen: ObservedDays): KeyedForecast[] {
  if (seen.days === 0) return results;
  const first = dayNum(firstWeek);
  const rest = (7 - seen.days) / 7;
  return results.map((r) => {
    const obs = seen.counts.get(seriesKeyString(r)) ?? 0;
    const points = r.points.map((p) =>
      p.week === first ? { week: p.week, yhat: obs + rest * p.yhat, lo: obs + rest * p.lo, hi: obs + rest * p.hi } : p,
    );
    return { ...r, points };
  });
}
