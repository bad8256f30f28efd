import { BOOLEAN, DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBType } from '@duckdb/node-api';
import { cellToLatLng } from 'h3-js';
import { addDays } from '../store/dates.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { Stage, StageCounts } from '../store/stage.js';
import { spatialConfig, type HotspotConfig } from './config.js';
import { h3Neighbours, type Neighbours } from './gistar.js';
import { applyScan, scanLayers, type LayerScans } from './scan-hotspots.js';
import {
  ALL,
  classify,
  testWindow,
  windowOffsets,
  type HotCell,
  type WindowCounts,
  type WindowResult,
} from './hotspots.js';

export interface HotspotRun {
  cells: string[];
  found: HotCell[];
  tests: number;
  categories: number;
  /** The current window's counts and test results, and the neighbour lists (for the bench's comparison with R). */
  current?: WindowCounts;
  result?: WindowResult;
  neighbours?: Neighbours;
  /** Each layer's scan, for benches that look at a cell the run did not report. */
  scans?: LayerScans;
}

/** Count, test and classify: everything except writing. Uses only orders created before asOf. */
export async function findHotspots(store: Store, asOf: string, cfg: HotspotConfig): Promise<HotspotRun> {
  const studyStart = addDays(asOf, -cfg.studyDays);
  const offsets = windowOffsets(cfg).all;
  const from = addDays(asOf, -Math.max(...offsets) - cfg.windowDays);
  // one read of the placed orders serves the study area (from studyStart) and the windows (from `from`)
  const readStart = from < studyStart ? from : studyStart;
  await store.script(sql('spatial/hotspot_area.sql'), {
    as_of: asOf,
    study_start: studyStart,
    read_start: readStart,
    // chr(31), the unit separator, cannot occur in a channel name an export gives
    exclude_channels: cfg.excludeChannels.join('\u001f'),
  });
  const area = await store.all<{ cell: string; n_study: number }>('SELECT cell, n_study FROM hs_area ORDER BY idx');
  const cells = area.map((r) => r.cell);
  const studyTotal = area.reduce((a, r) => a + r.n_study, 0);
  const exposure = Float64Array.from(area, (r) => r.n_study / studyTotal);
  if (cells.length === 0) return { cells, found: [], tests: 0, categories: 0 };
  await store.script(sql('spatial/hotspot_windows.sql'), {
    offsets: offsets.join(','),
    as_of: asOf,
    window_days: cfg.windowDays,
  });
  await store.script(sql('spatial/hotspot_counts.sql'), { from, min_category: cfg.minCategoryCount });
  // category numbers of hs_counts: 0 is all categories, the tested ones follow
  const names = [
    ALL,
    ...(await store.all<{ cat2: string }>('SELECT cat2 FROM hs_categories ORDER BY cat')).map((r) => r.cat2),
  ];
  const reader = await store.conn.runAndReadAll('SELECT o, cat, idx, n FROM hs_counts');
  const nb = h3Neighbours(cells);
  const scans = await scanLayers(store, nb, cfg, { asOf, studyStart });
  await store.script(sql('spatial/hotspot_counts_drop.sql'));
  const byWindow = new Map<number, WindowCounts>(offsets.map((o) => [o, new Map()]));
  if (reader.currentRowCount > 0) {
    const [os, cats, idxs, ns] = reader.getColumns() as [number[], number[], number[], number[]];
    // every window gets every tested category, even with no orders, so "not hot then" is a real answer
    const layers = new Map<number, Float64Array[]>();
    for (const [o, w] of byWindow)
      layers.set(
        o,
        names.map((c) => w.set(c, new Float64Array(cells.length)).get(c)!),
      );
    for (let r = 0; r < os.length; r++) layers.get(os[r])![cats[r]][idxs[r]] = ns[r];
  }
  const results = new Map<number, WindowResult>();
  // a window before the store's first order has no answer (rather than "nothing hot"), so it cannot vouch for emerging
  for (const [o, counts] of byWindow)
    if (counts.get(ALL)?.some((v) => v > 0) ?? false) results.set(o, testWindow(counts, nb, cfg, exposure));
  const current = byWindow.get(0)!;
  if (!results.has(0)) return { cells, found: [], tests: 0, categories: 0 };
  return {
    cells,
    found: applyScan(classify(current, results, cfg), scans, current, results, cfg),
    tests: results.get(0)!.tests,
    categories: [...current.keys()].filter((k) => k !== ALL).length,
    current,
    result: results.get(0),
    neighbours: nb,
    scans,
  };
}

async function writeHotspots(store: Store, asOf: string, cfg: HotspotConfig, run: HotspotRun): Promise<number> {
  await store.script(sql('spatial/hotspot_rows.sql'));
  if (run.found.length > 0) {
    const appender = await store.conn.createAppender('hs_rows');
    const types: DuckDBType[] = [VARCHAR, DOUBLE, DOUBLE, VARCHAR, INTEGER, DOUBLE, DOUBLE, DOUBLE, VARCHAR, INTEGER];
    types.push(VARCHAR, DOUBLE, DOUBLE, INTEGER, DOUBLE, BOOLEAN);
    for (let s = 0; s < run.found.length; s += 2048) {
      const part = run.found.slice(s, s + 2048);
      const centres = part.map((h) => cellToLatLng(run.cells[h.cell]));
      const chunk = DuckDBDataChunk.create(types);
      chunk.setColumns([
        part.map((h) => run.cells[h.cell]),
        centres.map((c) => c[1]),
        centres.map((c) => c[0]),
        part.map((h) => h.category),
        part.map((h) => h.count),
        part.map((h) => h.z),
        part.map((h) => h.p),
        part.map((h) => h.q),
        part.map((h) => h.kind),
        part.map((h) => h.windowsHot),
        part.map((h) => (h.categories ? JSON.stringify(h.categories) : null)),
        part.map((h) => h.strength ?? null),
        part.map((h) => h.scanP ?? null),
        part.map((h) => h.scanWeeks ?? null),
        part.map((h) => h.expected ?? null),
        part.map((h) => h.aboveUsual ?? null),
      ]);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
  }
  const [, inserted] = await store.script(sql('spatial/hotspot_insert.sql'), {
    as_of: asOf,
    window_start: addDays(asOf, -cfg.windowDays),
  });
  await store.script(sql('spatial/hotspot_cleanup.sql'));
  return inserted ?? 0;
}

/**
 * Hotspot stage: Getis–Ord Gi* over the H3 cells of the study area, per level-2 category with enough orders and over
 * all categories, on the counts of the window before as-of; Benjamini–Hochberg across every test; kinds from the same
 * test repeated on earlier windows. The space-time permutation scan then says which cells stand above their own usual
 * level (and adds those Gi* missed). Replaces the hotspots rows of this as-of.
 */
export const hotspotStage: Stage = {
  name: 'hotspots',
  description: 'Getis-Ord Gi* hotspot cells of the last 4 weeks',
  async run({ store, asOf, config }): Promise<StageCounts> {
    const cfg = spatialConfig(config).hotspots;
    const run = await findHotspots(store, asOf, cfg);
    const rows = await writeHotspots(store, asOf, cfg, run);
    const kinds: Record<string, number> = { hot: 0, emerging: 0, persistent: 0, multi_category: 0 };
    for (const h of run.found) kinds[h.kind]++;
    const aboveUsual = run.found.filter((h) => h.aboveUsual).length;
    return {
      study_cells: run.cells.length,
      categories: run.categories,
      tests: run.tests,
      rows,
      above_usual: aboveUsual,
      ...kinds,
    };
  },
};
