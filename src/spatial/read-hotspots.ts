import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { Kind } from './hotspots.js';

/** One hotspot as CONTRACT §4 prints it, with the extra fields a grid worker or analyst needs. */
export interface HotspotCell {
  cell: string;
  lon: number;
  lat: number;
  category: string | null;
  count: number;
  z: number;
  kind: Kind;
  p: number | null;
  q: number | null;
  windows_hot: number | null;
  categories: string[] | null;
  grid_id: string | null;
  district: string | null;
  street: string | null;
  /**
   * The space-time permutation scan: strength (log-likelihood ratio), city-wide p-value (the chance that a null night's
   * strongest cylinder over every layer is as strong), weeks, expected, verdict (p ≤ 1 / scanRecurrenceDays).
   */
  strength: number | null;
  scan_p: number | null;
  scan_weeks: number | null;
  expected: number | null;
  above_usual: boolean | null;
}

/** Orders of `weisu hotspots`: kind (multi_category, emerging, hot, persistent; then z), strength, z or count. */
export const HOTSPOT_SORTS = ['kind', 'strength', 'z', 'count'] as const;
export type HotspotSort = (typeof HOTSPOT_SORTS)[number];

/** The hotspots stored for an as-of, in the given order (ties by cell and category, so a re-run prints the same). */
export async function readHotspots(store: Store, asOf: string, sort: HotspotSort = 'kind'): Promise<HotspotCell[]> {
  const rows = await store.all<Omit<HotspotCell, 'categories'> & { categories: string | null }>(
    sql('spatial/hotspot_read.sql'),
    { as_of: asOf, sort },
  );
  return rows.map((r) => ({ ...r, categories: r.categories ? (JSON.parse(r.categories) as string[]) : null }));
}
