import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { HotspotConfig } from './config.js';
import type { Neighbours } from './gistar.js';
import { ALL, windowOffsets, type HotCell, type WindowCounts, type WindowResult } from './hotspots.js';
import { SCAN_BINS, SCAN_WEEKS, scanLayer, type ScanResult } from './scan.js';

/** Each layer's scan (category key, ALL for all categories) and whether each cell of it is above its usual level. */
export interface LayerScans {
  scans: Map<string, ScanResult>;
  above: Map<string, Uint8Array>;
  /** The p-value a cell must reach: the larger of 1 / scanRecurrenceDays and fdrLevel (scanLevel). */
  level: number;
  /** Benjamini–Hochberg over the layers' smallest p (layerThreshold). */
  fdrLevel: number;
}

/**
 * The p-value level a cell must reach in its layer. The stage runs every night over the last 1–4 weeks, as SaTScan's
 * prospective surveillance does, so a layer's p is the chance that a cluster as strong arises by chance in one run,
 * and 1 / p its recurrence interval in days: a cell counts when that is at least scanRecurrenceDays (default 100,
 * p ≤ 0.01), or when its layer passes Benjamini–Hochberg across the layers at q (many layers signalling at once).
 * The FDR level alone asked p ≤ q / layers ≈ 0.0008 of a city where one layer signals: a quiet cell with 4 orders of a
 * category in a week where 0.1 were expected (p ≈ 0.002–0.005 within a layer of 2,500 cells) waited a week more.
 */
export function scanLevel(layerMin: readonly number[], cfg: Pick<HotspotConfig, 'q' | 'scanRecurrenceDays'>): number {
  return Math.max(layerThreshold(layerMin, cfg.q), 1 / cfg.scanRecurrenceDays);
}

/**
 * The p-value level below which a cell counts: Benjamini–Hochberg over the layers, one test each (its smallest p).
 * A cell's p is already its layer's family-wise one (compared with the layer's maximum under the null), so the layers
 * are the multiplicity left; a layer's further cells at or below the same level are its secondary clusters, as SaTScan
 * reports them.
 */
export function layerThreshold(layerMin: readonly number[], q: number): number {
  const sorted = [...layerMin].sort((a, b) => a - b);
  let level = 0;
  sorted.forEach((p, k) => {
    if (p <= ((k + 1) * q) / sorted.length) level = ((k + 1) * q) / sorted.length;
  });
  return level;
}

/** FNV-1a hash of a layer's key: its replicas' seed, so adding or dropping a category leaves the others' unchanged. */
function layerSeed(seed: number, key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return (seed ^ h) >>> 0;
}

/**
 * Scan all categories together and every level-2 category with at least scanMinCount orders in the last SCAN_WEEKS
 * weeks (hotspot_scan_counts.sql; hs_placed and hs_area must exist); a cell is above its usual level when its p
 * reaches scanLevel.
 */
export async function scanLayers(
  store: Store,
  nb: Neighbours,
  cfg: Pick<HotspotConfig, 'q' | 'scanReps' | 'scanSeed' | 'scanMinCount' | 'scanRecurrenceDays'>,
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
  const layerMin = names.map((key) => Math.min(1, ...scans.get(key)!.p));
  const fdrLevel = layerThreshold(layerMin, cfg.q);
  const level = scanLevel(layerMin, cfg);
  const above = new Map<string, Uint8Array>();
  for (const [key, s] of scans)
    above.set(
      key,
      Uint8Array.from(s.p, (p, i) => (s.llr[i] > 0 && p <= level ? 1 : 0)),
    );
  return { scans, above, level, fdrLevel };
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
      scanP: s.p[i],
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
