import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { dayNum, dayStr } from './features.js';
import type { Weekly } from './models.js';
import { fillMissingWeeks, weekOverSeenDays } from './missing-days.js';

export interface SeriesKey {
  category: string;
  level: 1 | 2;
  scopeLevel: 'city' | 'district';
  scopeName: string;
}

export interface KeyedSeries extends SeriesKey, Weekly {}

/** One string per series (scope, name, level, category), for maps keyed by series. */
export function seriesKeyString(s: { scopeLevel: string; scopeName: string; level: number; category: string }): string {
  return `${s.scopeLevel}\u0000${s.scopeName}\u0000${s.level}\u0000${s.category}`;
}

/** Monday of the week holding day number d. */
export function mondayOf(d: number): number {
  // Day 0 (1970-01-01) was a Thursday.
  return d - ((d + 3) % 7);
}

/**
 * Every category's weekly series, city-wide and per district, over the complete weeks before `firstWeek` (the
 * first forecast week). Each series starts at its first week of sustained activity (sustainedStart) — a category
 * born last month has a month of history, not years of structural zeros, and stray rows years before the real
 * start are left out (pushed to `ignored`) — and weeks without orders inside it are zeros. A week holding days of
 * `missing` (no data: missing-days.ts) is read over its seen days.
 */
export async function loadWeeklySeries(
  store: Store,
  firstWeek: string,
  city: string,
  ignored?: IgnoredBefore[],
  missing: ReadonlySet<number> = new Set(),
): Promise<KeyedSeries[]> {
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
    const y: (number | null)[] = [];
    for (let w = start; w < to; w += 7) y.push(weekOverSeenDays(points.get(w) ?? 0, w, missing));
    out.push({ ...key, start, y: fillMissingWeeks(y) });
  }
  // every model sees a series from its first week of sustained activity only (sustainedStart)
  const trimmed = trimToSustained(out);
  ignored?.push(...trimmed.ignored);
  return trimmed.series;
}

/**
 * A silence this many weeks long or longer can split a series' real start from stray rows before it … (a year: a
 * sparse seasonal series is silent through its off-season, 8 weeks cut real district series of a synthetic city
 * with winter-only waves; no series that is alive is silent a whole year) …
 */
const GAP_WEEKS = 52;
/** … when the weeks after it are busy enough that chance leaves so long a silence with probability e^-7 ≈ 0.001. */
const GAP_EXPECTED = 7;
/** The first 4 weeks of the series hold at least this share of a typical 4 weeks of it. */
const START_SHARE = 0.1;

/**
 * Index of the first week of sustained activity of y. Exports carry stray rows dated years before the real start
 * (a default date 2000-01-03, a mistyped year): taken as the start, they made a series hundreds of weeks of zeros
 * long, the annual wave could not be found in it and the model fell to a flat mean. Two rules: (1) after the last
 * silence of L ≥ 52 empty weeks with L × (mean weekly count after it) ≥ 7 — under a steady rate that silence has
 * probability below e^-7, so what came before it is not the same series; (2) from there, the first week whose next
 * 4 weeks hold at least a tenth of the series' median 4-week count, and which itself holds a quarter of that (a
 * trickle of strays just before the start).
 */
export function sustainedStart(y: number[]): number {
  const n = y.length;
  let from = 0;
  let run = 0;
  // suffix sums give each gap the mean of what follows it
  const suffix = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + y[i];
  for (let i = 0; i < n; i++) {
    if (y[i] === 0) {
      run++;
      continue;
    }
    if (run >= GAP_WEEKS && (run * suffix[i]) / (n - i) >= GAP_EXPECTED) from = i;
    run = 0;
  }
  while (from < n && y[from] === 0) from++;
  if (n - from < 8) return from;
  const sums: number[] = [];
  for (let i = from; i + 4 <= n; i++) sums.push(y[i] + y[i + 1] + y[i + 2] + y[i + 3]);
  const sorted = sums.slice().sort((a, b) => a - b);
  const need = Math.max(1, START_SHARE * sorted[Math.floor(sorted.length / 2)]);
  // the week itself must hold its share too: 2 stray orders just before a 40-a-week start are no start
  for (let i = 0; i < sums.length; i++) if (sums[i] >= need && y[from + i] >= need / 4) return from + i;
  return from;
}

/** Orders a series' sustained start leaves out: what the data-quality output names. */
export interface IgnoredBefore {
  key: SeriesKey;
  /** First week kept (day number) and the orders in the weeks before it. */
  start: number;
  orders: number;
  firstDay: number;
}

/** Cut every series at its sustained start; returns what was cut where anything was. */
export function trimToSustained(series: KeyedSeries[]): { series: KeyedSeries[]; ignored: IgnoredBefore[] } {
  const ignored: IgnoredBefore[] = [];
  const out = series.map((s) => {
    const from = sustainedStart(s.y);
    if (from === 0) return s;
    const orders = s.y.slice(0, from).reduce((a, b) => a + b, 0);
    const start = s.start + 7 * from;
    if (orders > 0) {
      const first = s.y.findIndex((v) => v > 0);
      ignored.push({
        key: { category: s.category, level: s.level, scopeLevel: s.scopeLevel, scopeName: s.scopeName },
        start,
        orders,
        firstDay: s.start + 7 * first,
      });
    }
    return { ...s, start, y: s.y.slice(from) };
  });
  return { series: out, ignored };
}
