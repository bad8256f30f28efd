import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { HotspotConfig } from './config.js';
import type { Neighbours } from './gistar.js';
import { ALL, windowOffsets, type HotCell, type WindowCounts, type WindowResult } from './hotspots.js';
import { nullTail, SCAN_BINS, SCAN_WEEKS, scanLayer, type ScanResult } from './scan.js';

/** Each layer's scan (category key, ALL for all categories) and whether each cell of it is above its usual level. */
export interface LayerScans {
  scans: Map<string, ScanResult>;
  /** Each cell's city-wide p (its llr against the Gumbel of the city maxima; 1 with no cylinder), per layer. */
  cityP: Map<string, Float64Array>;
  above: Map<string, Uint8Array>;
  /** The level a cell's city-wide p must reach: 1 / scanRecurrenceDays. */
  level: number;
  /** The replicas' maxima over every layer (cityMaxima), for benches and the docs' calibration check. */
  cityMax: Float64Array;
}

/**
 * The strongest cylinder of the whole city in each replica: replica r's maximum over every layer. Each layer's
 * replicas are drawn with its own seed, so replica r of the city is one night of every layer under the null (layers
 * drawn independently: a little more spread than the real ones, which share orders with the all-categories layer, so
 * the tail errs on the side of fewer alarms). SaTScan's multiple data sets take their maximum the same way.
 */
export function cityMaxima(scans: Iterable<ScanResult>): Float64Array {
  let out: Float64Array | null = null;
  for (const s of scans) {
    out ??= new Float64Array(s.nullMax.length);
    for (let r = 0; r < out.length; r++) out[r] = Math.max(out[r], s.nullMax[r]);
  }
  return out ?? new Float64Array(0);
}

/**
 * Whether each cell of each layer is above its usual level, family-wise for the city. A cell's city-wide p is the
 * chance that, on a night with no space-time interaction anywhere, the strongest cylinder over every layer and cell is
 * at least as strong as the cell's (a zero-inflated Gumbel fitted to the replicas' city maxima, nullTail, gives p far
 * below 1 / (reps + 1)). The stage runs every night, so a cell counts when p ≤ 1 / scanRecurrenceDays: the city as a
 * whole then raises a false hotspot on about one night in scanRecurrenceDays, however many layers it scans. A layer's
 * further cells at the same level are its secondary clusters, as SaTScan reports them.
 */
export function cityVerdict(scans: Map<string, ScanResult>, recurrenceDays: number): LayerScans {
  const cityMax = cityMaxima(scans.values());
  const tail = nullTail(cityMax);
  const level = 1 / recurrenceDays;
  const cityP = new Map<string, Float64Array>();
  const above = new Map<string, Uint8Array>();
  for (const [key, s] of scans) {
    const p = Float64Array.from(s.llr, (x) => (x > 0 ? tail(x) : 1));
    cityP.set(key, p);
    above.set(
      key,
      Uint8Array.from(p, (v) => (v <= level ? 1 : 0)),
    );
  }
  return { scans, cityP, above, level, cityMax };
}

/** FNV-1a hash of a layer's key: its replicas' seed, so adding or dropping a category leaves the others' unchanged. */
function layerSeed(seed: number, key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return (seed ^ h) >>> 0;
}

/**
 * Scan all categories together and every level-2 category with at least scanMinCount orders in the last SCAN_WEEKS
 * weeks (hotspot_scan_counts.sql; hs_placed and hs_area must exist); a cell is above its usual level when its
 * city-wide p reaches 1 / scanRecurrenceDays (cityVerdict).
 */
export async function scanLayers(
  store: Store,
  nb: Neighbours,
  cfg: Pick<HotspotConfig, 'scanReps' | 'scanSeed' | 'scanMinCount' | 'scanRecurrenceDays'>,
  bounds: { asOf: string; studyStart: string },
): Promise<LayerScans> {
  await store.script(sql('spatial/hotspot_scan_counts.sql'), {
    as_of: bounds.asOf,
    study_start: bounds.studyStart,
    weeks: SCAN_WEEKS,
    min_count: cfg.scanMinCount,
  });
  // layer 0 is all categories, the others are hs_scan_categories by number
  const names = [
    ALL,
    ...(await store.all<{ cat2: string }>('SELECT cat2 FROM hs_scan_categories ORDER BY cat')).map((r) => r.cat2),
  ];
  const n = nb.offsets.length - 1;
  const layers = names.map(() => new Float64Array(n * SCAN_BINS));
  const reader = await store.conn.runAndReadAll('SELECT cat, idx, bin, n FROM hs_scan');
  await store.exec('DROP TABLE IF EXISTS hs_scan; DROP TABLE IF EXISTS hs_scan_categories');
  if (reader.currentRowCount > 0) {
    const [cats, idxs, bins, ns] = reader.getColumns() as [number[], number[], number[], number[]];
    for (let r = 0; r < cats.length; r++) layers[cats[r]][idxs[r] * SCAN_BINS + bins[r]] = ns[r];
  }
  const scans = new Map<string, ScanResult>();
  names.forEach((key, k) =>
    scans.set(
      key,
      scanLayer(layers[k], nb, {
        reps: cfg.scanReps,
        seed: layerSeed(cfg.scanSeed, key),
        minCount: cfg.scanMinCount,
      }),
    ),
  );
  return cityVerdict(scans, cfg.scanRecurrenceDays);
}

/**
 * Give every Gi* row its layer's scan verdict, and add the cells the scan finds above their usual level that Gi* did
 * not report — a quiet cell whose orders tripled is no Gi* hotspot beside the city's busy core, but it is news to its
 * grid worker. Such a cell is emerging when no earlier window saw it chronic (and every one of them holds orders),
 * else hot.
 */
export function applyScan(
  found: HotCell[],
  ls: LayerScans,
  current: WindowCounts,
  results: Map<number, WindowResult>,
  cfg: HotspotConfig,
): HotCell[] {
  const verdict = (key: string, i: number): Partial<HotCell> => {
    const s = ls.scans.get(key);
    if (!s) return {};
    return {
      strength: s.llr[i],
      scanP: ls.cityP.get(key)![i],
      scanWeeks: s.weeks[i],
      expected: s.expected[i],
      aboveUsual: ls.above.get(key)![i] === 1,
    };
  };
  const out = found.map((h) => ({ ...h, ...verdict(h.category, h.cell) }));
  const seen = new Set(found.map((h) => `${h.category}|${h.cell}`));
  const now = results.get(0)!;
  const emergingOffsets = windowOffsets(cfg).emerging;
  for (const [key, above] of ls.above) {
    // a category too rare for Gi* (minCategoryCount) is still scanned: its count is then the scan's own
    const x = current.get(key) ?? ls.scans.get(key)!.recent;
    for (let i = 0; i < above.length; i++) {
      if (!above[i] || seen.has(`${key}|${i}`)) continue;
      const wasChronic = (o: number) => results.get(o)?.chronic.get(key)?.[i] === 1;
      const emerging = emergingOffsets.every((o) => results.has(o)) && !emergingOffsets.some(wasChronic);
      out.push({
        cell: i,
        category: key,
        count: x[i],
        z: now.z.get(key)?.[i] ?? 0,
        p: now.p.get(key)?.[i] ?? 1,
        q: now.q.get(key)?.[i] ?? 1,
        kind: emerging ? 'emerging' : 'hot',
        windowsHot: 0,
        ...verdict(key, i),
      });
    }
  }
  return out;
}
