import type { DuckDBListVector } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { addDays, daysBetween, weekStart } from '../store/dates.js';
import type { DetectConfig } from './config.js';
import { springFestivals } from '../forecast/calendar.js';
import { withHalfMemory } from './memory.js';
import { categoryExposures, missingWeekdays, type WeekdayCount } from './missing-days.js';

export type ScopeLevel = 'city' | 'district' | 'street';

/** One category × scope, with its weekly counts indexed by weeks back from the current week (0 = last complete). */
export interface Series {
  key: string;
  category: string;
  /** 1 = 大类, 2 = 中类 ('l1/l2'), 3 and below = finer paths ('l1/l2/l3'…), as deep as the city's taxonomy. */
  level: number;
  /**
   * The category one level up, from the stored level names (a name may hold '/'): null at level 1. Absent on a
   * series built by hand, whose path's slashes are then its levels.
   */
  parent?: string | null;
  cat1: string;
  scopeLevel: ScopeLevel;
  scopeName: string;
  /** The district a street (or district) belongs to; null for the city. */
  district: string | null;
  /** Dense weekly counts, index = weeks back; length = weeks of history loaded. */
  y: Float64Array;
  /**
   * Oldest week index that is history for this series: the frame's, or less when the category itself first
   * appears later (a new category code has no last year; its zeros are not a baseline). Absent: the frame's.
   */
  maxW?: number;
  /** The category's first day with orders, when it is later than the frame's history (set with maxW). */
  firstDay?: string;
}

/** The weeks of history a series may use (see Series.maxW). */
export function historyOf(s: Series, frame: Frame): number {
  return s.maxW === undefined ? frame.maxW : Math.min(s.maxW, frame.maxW);
}

/** What all series of one run share. */
export interface Frame {
  asOf: string;
  /** Monday of the current (last complete) week. */
  week0: string;
  /** Whole-hotline weekly volume, same indexing as Series.y. */
  total: Float64Array;
  /** Oldest week index whose 7 days are all inside the data (weeks beyond it are unknown, not zero). */
  maxW: number;
  /**
   * Weeks back to the same weeks of each of up to 3 earlier years, for 环比's seasonal ratio: 52, 104, 156, or,
   * when the weeks tested lie in the Spring Festival season, the festival's own distance (see festivalLags).
   */
  yearLags: number[];
  series: Series[];
  /**
   * Weekdays without data per week index (bit d − 1 = ISO weekday d; missing-days.ts): an export that was not
   * loaded, not a quiet day. All zero when every day is there.
   */
  missing: Uint8Array;
  /** A category's own exposure where a week lacks days (categoryExposures), keyed `${level}|${category}`. */
  exposure: Map<string, Float64Array>;
}

/**
 * What a series' counts are judged against, week by week: the hotline's volume, or where a week lacks days the
 * volume of its seen days reweighted by the category's own week (missing-days.ts).
 */
export function exposureOf(
  s: Pick<Series, 'level' | 'category'>,
  frame: Pick<Frame, 'total' | 'exposure'>,
): Float64Array {
  return frame.exposure.get(`${s.level}|${s.category}`) ?? frame.total;
}

/**
 * Near the Spring Festival the same calendar weeks of earlier years are the wrong weeks: the festival moves by up to
 * three weeks, and what hangs on it — wage arrears before it, the school term after it — moves with it (an unseen
 * city's 欠薪 read 环比上升82% in a year whose festival came late). When the middle of the 8 weeks 环比 looks at is
 * within 10 weeks of a festival, each earlier year is taken at that year's festival distance instead.
 */
export function festivalLags(week0: string, festivals: ReadonlyMap<number, string>): number[] {
  const plain = [52, 104, 156];
  const mid = addDays(week0, -25);
  const year = Number(mid.slice(0, 4));
  let near: { y: number; date: string } | null = null;
  for (const y of [year - 1, year, year + 1]) {
    const d = festivals.get(y);
    if (
      d &&
      Math.abs(daysBetween(d, mid)) <= 70 &&
      (!near || Math.abs(daysBetween(d, mid)) < Math.abs(daysBetween(near.date, mid)))
    )
      near = { y, date: d };
  }
  if (!near) return plain;
  return plain.map((lag, i) => {
    const earlier = festivals.get(near!.y - (i + 1));
    return earlier ? Math.round(daysBetween(earlier, near!.date) / 7) : lag;
  });
}

/** Enough history for three years of same-week baselines of the last 12 weeks, plus the ±3-week margin. */
export const MAX_WEEKS = 3 * 52 + 12 + 4;

export function seriesKey(
  level: number,
  category: string,
  scopeLevel: string,
  scopeName: string,
  district: string | null,
): string {
  return `${level}|${category}|${scopeLevel}|${scopeLevel === 'street' ? `${district ?? ''}/` : ''}${scopeName}`;
}

export function currentWeek(asOf: string): string {
  return addDays(weekStart(asOf), -7);
}

/**
 * The active series, read chunk by chunk (active_series.sql: names, then the packed weeks), each chunk's weeks written
 * straight into its series' dense array: the rows are never all held as objects with a list of numbers each — that
 * copy of every series' weeks (~400 MB for 150,000 series) sat beside the dense arrays and DuckDB's own buffers.
 */
async function readSeries(store: Store, cfg: DetectConfig): Promise<Series[]> {
  const params = { min_recent: cfg.minRecent, recent_weeks: cfg.recentWeeks };
  const result = await store.conn.stream(sql('detect/active_series.sql'), params);
  const series: Series[] = [];
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    // columns: category, level, parent, cat1, scope_level, scope_name, district, wy
    const col = Array.from({ length: 7 }, (_, c) => chunk.getColumnVector(c));
    const text = (c: number, row: number) => col[c].getItem(row) as string | null;
    const wy = chunk.getColumnVector(7) as DuckDBListVector;
    const packed = wy.childVector;
    for (let i = 0; i < chunk.rowCount; i++) {
      const y = new Float64Array(MAX_WEEKS + 1);
      // each (week, count) pair packed as week × 2^32 + count (see active_series.sql)
      const end = wy.getEntryOffset(i) + wy.getEntryLength(i);
      for (let k = wy.getEntryOffset(i); k < end; k++) {
        const v = packed.getItem(k) as number;
        y[Math.floor(v / 2 ** 32)] = v % 2 ** 32;
      }
      const scopeLevel = text(4, i) as ScopeLevel;
      const category = text(0, i) as string;
      const level = col[1].getItem(i) as number;
      const scopeName = text(5, i) as string;
      const district = scopeLevel === 'city' ? null : text(6, i);
      series.push({
        key: seriesKey(level, category, scopeLevel, scopeName, district),
        category,
        level,
        parent: text(2, i),
        cat1: text(3, i) as string,
        scopeLevel,
        scopeName,
        district,
        y,
      });
    }
  }
  return series;
}

/**
 * The active series of one as-of with the weeks each category existed (see Series.maxW), sorted by key; fills the
 * hotline's weekly total into `total`.
 */
async function readFrameSeries(
  store: Store,
  frame: Pick<Frame, 'asOf' | 'week0' | 'maxW' | 'total' | 'missing' | 'exposure'>,
  cityName: string,
  cfg: DetectConfig,
): Promise<Series[]> {
  const { asOf, week0, maxW, total } = frame;
  const params = { as_of: asOf, week0, max_weeks: MAX_WEEKS, city: cityName };
  await store.script(sql('detect/weekly_counts.sql'), params);
  for (const r of await store.all<{ w: number; total: number }>(sql('detect/weekly_totals.sql'), {
    as_of: asOf,
    week0,
    max_weeks: MAX_WEEKS,
  })) {
    if (r.w >= 0 && r.w <= MAX_WEEKS) total[r.w] = r.total;
  }
  const series = await readSeries(store, cfg);
  // A category's first week with orders anywhere: before it, the category did not exist (a new code in the
  // taxonomy, a new kind of complaint), so its weeks there are unknown, not zero — counted as zeros, a new
  // category's ordinary level would read as an enormous rise against the year before.
  const firstDays = new Map<string, string>();
  for (const r of await store.all<{ level: number; category: string; first_day: string }>(
    sql('detect/category_first_day.sql'),
    { as_of: asOf },
  )) {
    firstDays.set(`${r.level}|${r.category}`, r.first_day);
  }
  for (const s of series) {
    const first = firstDays.get(`${s.level}|${s.category}`);
    if (!first) continue;
    const f = daysBetween(weekStart(first), week0) / 7;
    // the first week may be partial: it is left out, as the store's first week is
    if (f - 1 < maxW) {
      s.maxW = f - 1;
      s.firstDay = first;
    }
  }
  series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (frame.missing.some((m) => m !== 0)) {
    const rows = await store.all<WeekdayCount>(sql('detect/weekday_profile.sql'), { as_of: asOf, week0 });
    for (const [k, e] of categoryExposures(rows, total, frame.missing)) frame.exposure.set(k, e);
  }
  await store.script(sql('detect/drop_weekly.sql'));
  return series;
}

/** Build the weekly series in SQL and bring the active ones into dense arrays. */
export async function loadFrame(store: Store, asOf: string, cityName: string, cfg: DetectConfig): Promise<Frame> {
  const week0 = currentWeek(asOf);
  const total = new Float64Array(MAX_WEEKS + 1);
  const firstDay = await store.value<string | null>(sql('detect/history_start.sql'), { as_of: asOf });
  const exposure = new Map<string, Float64Array>();
  if (!firstDay || firstDay >= week0) {
    const missing = new Uint8Array(MAX_WEEKS + 1);
    return { asOf, week0, total, maxW: -1, yearLags: [52, 104, 156], series: [], missing, exposure };
  }
  const firstWeek = daysBetween(weekStart(firstDay), week0) / 7;
  const maxW = Math.min(MAX_WEEKS, firstDay === weekStart(firstDay) ? firstWeek : firstWeek - 1);
  const { mask: missing } = await missingWeekdays(store, asOf, week0, MAX_WEEKS);
  const read = { asOf, week0, maxW, total, missing, exposure };
  const series = await withHalfMemory(store, () => readFrameSeries(store, read, cityName, cfg));
  return { asOf, week0, total, maxW, yearLags: festivalLags(week0, springFestivals()), series, missing, exposure };
}
