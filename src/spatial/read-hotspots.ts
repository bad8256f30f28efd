import type { Store } from '../store/db.js';
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
}

/** The hotspots stored for an as-of: multi_category first, then by kind and z. */
export async function readHotspots(store: Store, asOf: string): Promise<HotspotCell[]> {
  const rows = await store.all<Omit<HotspotCell, 'categories'> & { categories: string | null }>(
    `SELECT cell, lon, lat, category, count, z, kind, p, q, windows_hot, categories::VARCHAR AS categories, grid_id, district, street
     FROM hotspots WHERE as_of = $as_of::DATE
     ORDER BY CASE kind WHEN 'multi_category' THEN 0 WHEN 'emerging' THEN 1 WHEN 'hot' THEN 2 ELSE 3 END, z DESC, cell, category NULLS FIRST`,
    { as_of: asOf },
  );
  return rows.map((r) => ({ ...r, categories: r.categories ? (JSON.parse(r.categories) as string[]) : null }));
}
