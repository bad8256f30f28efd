import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { dayNum, dayStr } from './features.js';
import type { Weekly } from './models.js';

export interface SeriesKey {
  category: string;
  level: 1 | 2;
  scopeLevel: 'city' | 'district';
  scopeName: string;
}

export interface KeyedSeries extends SeriesKey, Weekly {}

/** Monday of the week holding day number d. */
export function mondayOf(d: number): number {
  // Day 0 (1970-01-01) was a Thursday.
  return d - ((d + 3) % 7);
}

/**
 * Every category's weekly series, city-wide and per district, over the complete weeks before `firstWeek` (the
 * first forecast week). Each series starts at its first week with an order — a category born last month has a
 * month of history, not years of structural zeros — and weeks without orders inside it are zeros.
 */
export async function loadWeeklySeries(store: Store, firstWeek: string, city: string): Promise<KeyedSeries[]> {
  const span = await store.one<{ first_day: string | null }>(sql('forecast/data_span.sql'), { as_of: firstWeek });
  if (!span?.first_day) return [];
  const first = dayNum(span.first_day);
  // A week the data starts in the middle of is incomplete: start at the next Monday.
  const fromWeek = mondayOf(first) === first ? first : mondayOf(first) + 7;
  const to = dayNum(firstWeek);
  if (fromWeek >= to) return [];
  const rows = await store.all<{
    level: number;
    category: string;
    scope_level: string;
    scope_name: string;
    week_start: string;
    n: number;
  }>(sql('forecast/weekly_series.sql'), { from_week: dayStr(fromWeek), to_week: dayStr(to), city });
  const byKey = new Map<string, { key: SeriesKey; points: Map<number, number> }>();
  for (const r of rows) {
    const id = `${r.scope_level}\u0000${r.scope_name}\u0000${r.level}\u0000${r.category}`;
    let e = byKey.get(id);
    if (!e) {
      e = {
        key: {
          category: r.category,
          level: r.level as 1 | 2,
          scopeLevel: r.scope_level as 'city' | 'district',
          scopeName: r.scope_name,
        },
        points: new Map(),
      };
      byKey.set(id, e);
    }
    e.points.set(dayNum(r.week_start), r.n);
  }
  const out: KeyedSeries[] = [];
  for (const { key, points } of byKey.values()) {
    let start = to;
    for (const [w, n] of points) if (n > 0 && w < start) start = w;
    if (start >= to) continue;
    const y: number[] = [];
    for (let w = start; w < to; w += 7) y.push(points.get(w) ?? 0);
    out.push({ ...key, start, y });
  }
  return out;
}
