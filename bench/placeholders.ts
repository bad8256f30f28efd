/**
 * Points that name no place (docs/spatial.md "Placeholder points") on real exports and stores:
 * `npx tsx bench/placeholders.ts [--store PATH ...]`.
 * Loads the real exports with coordinates from WEISU_REALDATA (default /work/realdata; see its README — nothing of
 * them is committed) with the mappings in bench/real-mappings/, plus any store given with --store (copied first, never
 * changed), runs the detection with the default config and prints per source: orders with usable coordinates, the
 * points flagged by reason, the orders at them and the busiest points. Skips a source whose data is absent.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../src/ingest/index.js';
import { spatialConfig } from '../src/spatial/config.js';
import { findPlaceholders, placeholderPoints } from '../src/spatial/stage.js';
import { configFrom } from '../src/store/config.js';
import { Store } from '../src/store/db.js';
import { createLogger } from '../src/store/log.js';
import { packageRoot } from '../src/store/paths.js';
import { sql } from '../src/store/sql.js';

const ROOT = process.env.WEISU_REALDATA ?? '/work/realdata';
const SOURCES: { name: string; path: string; mapping: string }[] = [
  { name: 'boston311-2015', path: 'boston311-2015/cartoDB_data', mapping: 'boston311-2015.json' },
  { name: 'nyc311 sample 2013', path: 'nyc311-tuplex/311-service-requests.sample.csv', mapping: 'nyc311.json' },
  { name: 'nyc311 sample 2011', path: 'nyc311-tuplex/311_nyc_sample.csv', mapping: 'nyc311.json' },
  {
    name: 'la311 2017 subset',
    path: 'la311-hackforla/MyLA311_Service_Request_Data_2017_Subset.csv',
    mapping: 'la311.json',
  },
  { name: 'la311 2020', path: 'la311-hackforla/service_requests.csv', mapping: 'la311-2020.json' },
];
const WINDOW = { from: '2000-01-01', to: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) };

async function detect(name: string, store: Store): Promise<void> {
  const p = spatialConfig(configFrom({})).placeholders;
  await store.script(sql('spatial/place_setup.sql'), {});
  const t0 = Date.now();
  await findPlaceholders(store, p, 8);
  const ms = Date.now() - t0;
  const usable = await store.value<number>("SELECT count(*) FROM orders WHERE place_coords(lon, lat) = 'ok'");
  const by = await store.all<{ reason: string; points: number; orders: number }>(
    'SELECT reason, count(*)::INTEGER AS points, sum(orders)::INTEGER AS orders FROM place_placeholders GROUP BY reason ORDER BY reason',
  );
  console.log(`${name}: ${usable} orders with usable coordinates; detection ${ms} ms`);
  if (!by.length) console.log('  no point flagged');
  for (const r of by) console.log(`  ${r.reason}: ${r.points} points, ${r.orders} orders`);
  for (const pt of await placeholderPoints(store, 5)) console.log('  ', JSON.stringify(pt));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weisu-placeholders-'));
  const log = createLogger({ bench: true });
  try {
    for (const s of SOURCES) {
      const path = join(ROOT, s.path);
      if (!existsSync(path)) {
        console.log(`${s.name}: skipped, ${path} is absent`);
        continue;
      }
      const store = await Store.open(join(dir, `${s.name.replace(/\W+/g, '_')}.duckdb`));
      try {
        const mapping = join(packageRoot, 'bench', 'real-mappings', s.mapping);
        await ingestFiles(store, [path], { mapping, salt: 'bench-salt-0123456789', log, dateWindow: WINDOW });
        await detect(s.name, store);
      } finally {
        store.close();
      }
    }
    const args = process.argv.slice(2);
    for (let i = 0; i < args.length; i++) {
      if (args[i] !== '--store') continue;
      const copy = join(dir, `store-${i}.duckdb`);
      copyFileSync(args[++i], copy);
      const store = await Store.open(copy);
      try {
        await detect(args[i], store);
      } finally {
        store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
