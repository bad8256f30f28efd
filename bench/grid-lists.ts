/**
 * What a grid worker's list holds, measured on a copy of a real or demo store (the store itself is not touched):
 * hotspots and hotspot items are made again for one as-of, then
 * - the share of grid-list items (items with a grid) at their cell's usual level, judged independently of the scan:
 *   the item's 28-day orders against its cell's share of the year's orders of that category × the city's 28-day total
 *   (one-sided Poisson, p > 0.05) — and the old measure, items whose only kind is persistent;
 * - where the items point: the share of each item's orders its 位置 place group covers (median, and items ≥ 50 %);
 * - handler types: grid, unit and out-of-scope hotspots.
 *
 *   WEISU_GRID_DB=/path/store.duckdb [WEISU_GRID_ASOF=2026-12-01] [WEISU_GRID_CONFIG=cfg.json] npx tsx bench/grid-lists.ts
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateItems } from '../src/assign/generate.js';
import { hotspotStage } from '../src/spatial/hotspot-stage.js';
import { poissonUpper } from '../src/spatial/fdr.js';
import { loadConfig } from '../src/store/config.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';

const db = process.env.WEISU_GRID_DB;
if (!db || !existsSync(db)) {
  console.log('grid-lists bench skipped: set WEISU_GRID_DB to a store file (e.g. one `weisu demo` wrote)');
  process.exit(0);
}
const asOf = process.env.WEISU_GRID_ASOF ?? '2026-12-01';
const dir = mkdtempSync(join(tmpdir(), 'weisu-grid-'));
const copy = join(dir, 'store.duckdb');
copyFileSync(db, copy);
if (existsSync(db + '.salt')) copyFileSync(db + '.salt', copy + '.salt');
const store = await Store.open(copy);
try {
  const config = loadConfig(process.env.WEISU_GRID_CONFIG);
  const ctx = { store, asOf, runId: 'bench', log: createLogger(), config, outDir: dir, progress: () => {} };
  // WEISU_GRID_KEEP=1 measures the items the store already holds (what an earlier version made), making nothing
  const keep = process.env.WEISU_GRID_KEEP === '1';
  const t0 = Date.now();
  const hs = keep ? null : await store.tx(() => hotspotStage.run(ctx));
  const hsMs = Date.now() - t0;
  if (!keep) await store.exec(`DELETE FROM assignments WHERE source = 'hotspot' AND as_of >= $d::DATE`, { d: asOf });
  const counts = keep ? null : await store.tx(() => generateItems(ctx, { topics: false, hotspots: true }));
  const items = await store.all<{
    item_id: string;
    grid_id: string | null;
    cell: string;
    category: string;
    orders: number;
    kinds: string;
    handler: string | null;
    usual: boolean | null;
    place_n: number | null;
    place_of: number | null;
    item_type: string;
    hours: number;
  }>(
    `SELECT item_id, grid_id, cell, category, CAST(evidence->>'orders' AS INTEGER) AS orders, evidence->>'kinds' AS kinds,
            evidence->>'handler' AS handler, CAST(evidence->>'at_usual_level' AS BOOLEAN) AS usual,
            CAST(evidence->>'address_orders' AS INTEGER) AS place_n, CAST(COALESCE(evidence->>'address_of', evidence->>'orders') AS INTEGER) AS place_of,
            item_type, date_diff('hour', assigned_at, deadline) AS hours
     FROM assignments WHERE source = 'hotspot' AND as_of = $d::DATE`,
    { d: asOf },
  );
  // each cell × category's orders of the study year and of the window, and the category's city totals
  const usual = await store.all<{
    cell: string;
    category: string;
    n_year: number;
    n_win: number;
    city_year: number;
    city_win: number;
  }>(
    `WITH o AS (SELECT cell, cat2 AS category, created_at >= $d::DATE - 28 AS win FROM orders_placed
                WHERE cell IS NOT NULL AND created_at >= $d::DATE - 365 AND created_at < $d::DATE)
     , c AS (SELECT cell, category, count(*) AS n_year, count(*) FILTER (WHERE win) AS n_win FROM o GROUP BY cell, category)
     SELECT *, sum(n_year) OVER (PARTITION BY category) AS city_year, sum(n_win) OVER (PARTITION BY category) AS city_win
     FROM c`,
    { d: asOf },
  );
  const ref = new Map(usual.map((u) => [`${u.cell}|${u.category}`, u]));
  const atUsual = (it: (typeof items)[number]) => {
    const u = ref.get(`${it.cell}|${it.category}`);
    if (!u) return false;
    return poissonUpper(Number(u.n_win), (Number(u.n_year) / Number(u.city_year)) * Number(u.city_win)) > 0.05;
  };
  const grid = items.filter((i) => i.grid_id);
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');
  const usualGrid = grid.filter(atUsual).length;
  const persistentOnly = grid.filter((i) => i.kinds === '["persistent"]').length;
  const shares = items
    .filter((i) => i.place_of)
    .map((i) => i.place_n! / i.place_of!)
    .sort((a, b) => a - b);
  const byGrid = new Map<string, number>();
  for (const g of grid) byGrid.set(g.grid_id!, (byGrid.get(g.grid_id!) ?? 0) + 1);
  console.log(
    JSON.stringify(
      {
        as_of: asOf,
        hotspot_stage_ms: hsMs,
        hotspots: hs,
        items: counts,
        hotspot_items: items.length,
        grid_items: grid.length,
        grids_with_items: byGrid.size,
        max_items_per_grid: Math.max(0, ...byGrid.values()),
        grid_at_usual_level_independent: `${usualGrid}/${grid.length} = ${pct(usualGrid, grid.length)}`,
        grid_persistent_only_kind: `${persistentOnly}/${grid.length} = ${pct(persistentOnly, grid.length)}`,
        unit_items: items.filter((i) => !i.grid_id).length,
        unit_items_chronic: items.filter((i) => !i.grid_id && i.usual).length,
        handler_unit_items: items.filter((i) => i.handler === 'unit').length,
        deadlines_24h_on_chronic: items.filter((i) => i.usual && Number(i.hours) <= 24).length,
        place_share_median: shares.length ? shares[Math.floor(shares.length / 2)].toFixed(2) : null,
        place_share_ge_50: `${shares.filter((s) => s >= 0.5).length}/${shares.length}`,
      },
      null,
      1,
    ),
  );
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
