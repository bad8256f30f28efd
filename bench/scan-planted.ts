/**
 * The scan on cities it has not seen: for each seed (other seeds give other planted cells, categories and dates) and
 * end date, a small demo city is generated, placed, and each planted hotspot is looked for 7 days after it starts
 * (above its usual level, `above_usual`), then at 10 and 14 days if not yet; how many other rows are above their usual
 * level on the day it is found is the price.
 *
 *   npx tsx bench/scan-planted.ts [--seeds 12345,777,4242] [--ends 2026-12-01,2026-06-01,2026-09-15] [--scale 0.05]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hotspotStage } from '../src/spatial/hotspot-stage.js';
import { readHotspots } from '../src/spatial/read-hotspots.js';
import { placeStage } from '../src/spatial/stage.js';
import { loadConfig } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { generateCity } from '../src/synth/index.js';
import { loadDemoOrders } from './demo-city.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const seeds = opt('seeds', '12345,777,4242').split(',').map(Number);
const ends = opt('ends', '2026-12-01,2026-06-01,2026-09-15').split(',');
const scale = Number(opt('scale', '0.05'));
const log = createLogger({ bench: 'scan-planted' });

for (const [k, seed] of seeds.entries()) {
  const end = ends[k % ends.length];
  const dir = mkdtempSync(join(tmpdir(), 'weisu-scan-'));
  try {
    const g = await generateCity({ outDir: dir, seed, scale, start: addDays(end, -400), end, log });
    const store = await Store.open(join(dir, 'store.duckdb'));
    await loadDemoOrders(
      store,
      readdirSync(dir)
        .filter((f) => /^orders-\d+\.parquet$/.test(f))
        .map((f) => join(dir, f)),
    );
    const config = loadConfig(g.configFile);
    const ctx = (asOf: string) => ({ store, asOf, runId: 'bench', log, config, outDir: dir, progress: () => {} });
    await store.tx(() => placeStage.run(ctx(end)));
    for (const e of g.truth.events.filter((ev) => ev.kind === 'hotspot')) {
      let found: Record<string, unknown> = { found_after_days: null };
      for (const days of [7, 10, 14]) {
        const asOf = addDays(e.start, days) < end ? addDays(e.start, days) : end;
        await store.tx(() => hotspotStage.run(ctx(asOf)));
        const rows = await readHotspots(store, asOf, 'strength');
        const rank = rows.findIndex((r) => e.cells!.includes(r.cell) && r.category === e.category && r.above_usual);
        if (rank < 0) continue;
        const others = rows.filter((r) => r.above_usual && !e.cells!.includes(r.cell)).length;
        found = { found_after_days: days, as_of: asOf, rank: rank + 1, other_rows_above_usual: others };
        break;
      }
      console.log(JSON.stringify({ seed, end, event: e.id, category: e.category, start: e.start, ...found }));
    }
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
