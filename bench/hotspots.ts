/**
 * Spatial bench: place throughput, planted-hotspot recall and false cells on the demo city, and Gi* z-scores against
 * R's spdep::localG on the same counts and neighbour lists.
 *
 *   npm run bench:hotspots -- [--city DIR] [--scale 0.2] [--place-rows 1000000] [--no-r]
 *
 * --city reuses a generated demo city (else one is generated into a temp folder: about a minute at scale 0.2).
 * --place-rows replicates the demo orders (jittered by up to ~50 m; --exact-copies: not moved) to that many rows and times
 * the place stage on them, then once more with nothing pending (--hotspots-once: then one hotspot run).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/store/db.js';
import { loadConfig, type Config } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { createLogger } from '../src/store/log.js';
import type { StageContext } from '../src/store/stage.js';
import { spatialConfig } from '../src/spatial/config.js';
import { findHotspots, hotspotStage } from '../src/spatial/hotspot-stage.js';
import { ALL } from '../src/spatial/hotspots.js';
import { readHotspots } from '../src/spatial/read-hotspots.js';
import { placeStage } from '../src/spatial/stage.js';
import type { Truth } from '../src/synth/truth.js';
import { loadDemoOrders } from './demo-city.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const scale = Number(opt('scale', '0.2'));
const placeRows = Number(opt('place-rows', '1000000'));
const withR = !args.includes('--no-r');
const log = createLogger({ bench: 'hotspots' });
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** CPU seconds of this process's main (JS) thread and of all its other threads (DuckDB's), from /proc; null elsewhere. */
function threadCpu(): { main: number; other: number } | null {
  try {
    const tick = 100; // USER_HZ
    let main = 0,
      other = 0;
    for (const t of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const s = (Number(f[11]) + Number(f[12])) / tick;
      if (t === String(process.pid)) main += s;
      else other += s;
    }
    return { main, other };
  } catch {
    return null;
  }
}

async function cityDir(): Promise<string> {
  const given = opt('city');
  if (given) return given;
  const dir = mkdtempSync(join(tmpdir(), 'weisu-bench-city-'));
  const { generateCity } = (await import('../src/synth/index.js')) as typeof import('../src/synth/index.js');
  const t0 = Date.now();
  await generateCity({ outDir: dir, scale, start: '2025-01-01', end: '2026-12-01' });
  console.log(`generated demo city (scale ${scale}) in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${dir}`);
  return dir;
}

function ctx(store: Store, config: Config, asOf: string): StageContext {
  return { store, asOf, runId: 'bench', log, config, outDir: tmpdir(), progress: () => {} };
}

async function benchPlace(dir: string, config: Config, files: string[]): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'weisu-bench-place-'));
  const store = await Store.open(join(work, 'place.duckdb'));
  try {
    const base = await loadDemoOrders(store, files);
    const copies = Math.max(1, Math.ceil(placeRows / base));
    // --exact-copies: at the same points (many more busy points for the placeholder rule to follow day by day)
    const move = args.includes('--exact-copies') ? 0 : 1e-6;
    if (copies > 1) {
      // more orders from the same city: copies of every order, moved up to ~50 m, under new ids
      await store.exec(`
        INSERT INTO orders
        SELECT o.* REPLACE (o.order_id || '-' || c.range AS order_id,
                            o.lon + ((hash(o.order_id, c.range) % 1000)::INTEGER - 500) * ${move} AS lon,
                            o.lat + ((hash(c.range, o.order_id) % 1000)::INTEGER - 500) * ${move} AS lat)
        FROM orders o, range(1, ${copies}) c`);
    }
    await store.exec(
      `DELETE FROM orders WHERE order_id IN (SELECT order_id FROM orders ORDER BY order_id OFFSET ${placeRows})`,
    );
    const n = (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
    await store.checkpoint();
    store.close();
    // the stage runs in a fresh process, so its peak RSS is its own and not the copying above
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1],
        ...['--city', dir, '--place-db', join(work, 'place.duckdb'), '--n', String(n)],
        ...args.filter((a) => a === '--hotspots-once'),
      ],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) console.log(`place stage failed (exit ${child.status})`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Child process of benchPlace: the place stage alone on a prepared store. */
async function placeOnly(dbFile: string, config: Config): Promise<void> {
  const store = await Store.open(dbFile);
  try {
    const n = Number(opt('n'));
    const rssBefore = rss();
    const load0 = (await import('node:os')).loadavg()[0];
    const threads0 = threadCpu();
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const counts = await store.tx(() => placeStage.run(ctx(store, config, '2027-01-01')));
    const s = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const threads1 = threadCpu();
    const load = (await import('node:os')).loadavg()[0];
    const split =
      threads0 && threads1
        ? ` = ${(threads1.main - threads0.main).toFixed(1)} s JS thread + ${(threads1.other - threads0.other).toFixed(1)} s DuckDB's threads`
        : '';
    console.log(
      `place: ${n} orders in ${s.toFixed(1)} s wall = ${Math.round(n / s)} orders/s (JS pass alone: ${counts.points_per_s} points/s); ` +
        `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${(cpu.user / 1e6).toFixed(1)} user + ${(cpu.system / 1e6).toFixed(1)} system, all threads${split}); ` +
        `load average ${load0.toFixed(1)} before, ${load.toFixed(1)} after; peak RSS of the stage's process ${rss()} MB (${rssBefore} MB after opening the store)`,
    );
    console.log(`  ${JSON.stringify(counts)}`);
    // again with nothing new: what every nightly run pays over the whole store (the placeholder points above all)
    const again0 = process.cpuUsage();
    const a0 = Date.now();
    await store.tx(() => placeStage.run(ctx(store, config, '2027-01-01')));
    const again = process.cpuUsage(again0);
    console.log(
      `place again, nothing pending: ${((Date.now() - a0) / 1000).toFixed(2)} s wall, CPU ${((again.user + again.system) / 1e6).toFixed(2)} s (all threads)`,
    );
    const busy = await store.value<number>(
      'SELECT count(*) FROM (SELECT 1 FROM orders GROUP BY lon, lat HAVING count(*) >= $min)',
      { min: spatialConfig(config).placeholders.minOrders },
    );
    console.log(`  points of minOrders or more orders (followed day by day by the placeholder rule): ${busy}`);
    if (args.includes('--hotspots-once')) {
      // one hotspot run on these orders (reads every placed order of the year before the as-of)
      const h0 = process.cpuUsage();
      const w0 = Date.now();
      await store.tx(() => hotspotStage.run(ctx(store, config, '2026-12-01')));
      const h = process.cpuUsage(h0);
      console.log(
        `hotspots 2026-12-01: ${((Date.now() - w0) / 1000).toFixed(1)} s wall, CPU ${((h.user + h.system) / 1e6).toFixed(1)} s (all threads)`,
      );
    }
  } finally {
    store.close();
  }
}

function runR(x: Float64Array, lists: number[][], work: string): Float64Array | null {
  const xs = join(work, 'x.csv');
  const nbFile = join(work, 'nb.txt');
  const out = join(work, 'z.csv');
  writeFileSync(xs, 'x\n' + Array.from(x).join('\n') + '\n');
  // one line per cell: its neighbours other than itself, 1-based (spdep adds self with include.self)
  writeFileSync(
    nbFile,
    lists
      .map(
        (l, i) =>
          l
            .filter((j) => j !== i)
            .map((j) => j + 1)
            .join(' ') || '0',
      )
      .join('\n') + '\n',
  );
  const script = `
    suppressMessages(library(spdep))
    x <- read.csv("${xs}")$x
    lines <- readLines("${nbFile}")
    nb <- lapply(lines, function(s) { v <- as.integer(strsplit(s, " ")[[1]]); if (length(v) == 1 && v == 0) 0L else v })
    class(nb) <- "nb"
    attr(nb, "region.id") <- as.character(seq_along(nb))
    lw <- nb2listw(include.self(nb), style = "B", zero.policy = TRUE)
    z <- as.numeric(localG(x, lw, zero.policy = TRUE))
    write.csv(data.frame(z = z), "${out}", row.names = FALSE)`;
  const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`R failed: ${(r.stderr || r.error?.message || '').split('\n').slice(-3).join(' ')}`);
    return null;
  }
  return Float64Array.from(readFileSync(out, 'utf8').trim().split('\n').slice(1).map(Number));
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

async function main(): Promise<void> {
  const dir = await cityDir();
  const config = loadConfig(join(dir, 'weisu.config.json'));
  const files = readdirSync(dir)
    .filter((f) => /^orders-\d+\.parquet$/.test(f))
    .map((f) => join(dir, f));
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  const cfg = spatialConfig(config).hotspots;

  const placeDb = opt('place-db');
  if (placeDb) return placeOnly(placeDb, config);
  if (placeRows > 0) await benchPlace(dir, config, files);
  if (args.includes('--place-only')) return;

  const work = mkdtempSync(join(tmpdir(), 'weisu-bench-hs-'));
  const store = await Store.open(join(work, 'hs.duckdb'));
  try {
    await loadDemoOrders(store, files);
    await store.tx(() => placeStage.run(ctx(store, config, '2027-01-01')));

    // recall: the first weekly as-of after each planted start at which its cell is flagged in its category
    const events = truth.events.filter((e) => e.kind === 'hotspot');
    console.log(`\nplanted hotspots (${events.length}):`);
    for (const e of events) {
      let foundAt: number | null = null;
      for (let d = 7; d <= 28 && foundAt === null; d += 7) {
        const asOf = addDays(e.start, d);
        if (asOf > truth.end) break;
        await store.tx(() => hotspotStage.run(ctx(store, config, asOf)));
        const rows = await readHotspots(store, asOf);
        if (rows.some((r) => e.cells!.includes(r.cell) && r.category === e.category)) foundAt = d;
      }
      console.log(
        `  ${e.id} ${e.category} ${e.cells!.join(',')} from ${e.start} (${e.magnitude}/week): ${foundAt === null ? 'NOT found within 28 days' : `found ${foundAt} days after start`}`,
      );
    }

    // false cells: monthly as-of dates over the last half year
    console.log('\nunplanted flagged cells (denominator: cells of the study area):');
    const months = Array.from(
      { length: 6 },
      (_, k) => `${truth.end.slice(0, 4)}-${String(Number(truth.end.slice(5, 7)) - 5 + k).padStart(2, '0')}-01`,
    ).filter((d) => d <= truth.end);
    for (const asOf of months) {
      const counts = await store.tx(() => hotspotStage.run(ctx(store, config, asOf)));
      const rows = await readHotspots(store, asOf);
      const planted = new Set(events.filter((e) => e.start < asOf).flatMap((e) => e.cells ?? []));
      const other = rows.filter((r) => !planted.has(r.cell));
      const cat = new Set(other.filter((r) => r.category !== null && r.kind !== 'persistent').map((r) => r.cell));
      const allNew = new Set(
        other
          .filter(
            (r) =>
              r.category === null &&
              r.kind !== 'persistent' &&
              r.kind !== 'multi_category' &&
              (r.windows_hot ?? 0) <= 1,
          )
          .map((r) => r.cell),
      );
      const allRecurring = new Set(
        other
          .filter(
            (r) =>
              r.category === null && r.kind !== 'persistent' && r.kind !== 'multi_category' && (r.windows_hot ?? 0) > 1,
          )
          .map((r) => r.cell),
      );
      const persistent = new Set(other.filter((r) => r.kind === 'persistent').map((r) => r.cell));
      const any = new Set([...cat, ...allNew, ...allRecurring]);
      for (const c of persistent) any.delete(c);
      const n = Number(counts.study_cells);
      const p = (k: number) => `${k} (${((100 * k) / n).toFixed(2)}%)`;
      console.log(
        `  ${asOf}: study cells ${n}; not persistent: ${p(any.size)} = category layers ${p(cat.size)}, all-categories layer new ${p(allNew.size)} + recurring (hot in 2–3 of 6 windows) ${p(allRecurring.size)}; persistent unplanted ${p(persistent.size)}`,
      );
    }

    if (withR) {
      const asOf = truth.end;
      const run = await findHotspots(store, asOf, cfg);
      const nb = run.neighbours!;
      const lists = run.cells.map((_, i) => Array.from(nb.nbrs.subarray(nb.offsets[i], nb.offsets[i + 1])));
      console.log(`\nGi* vs R spdep::localG (as of ${asOf}, ${run.cells.length} cells):`);
      const layers = [ALL, ...[...run.current!.keys()].filter((k) => k !== ALL).slice(0, 4)];
      for (const k of layers) {
        const ours = run.result!.z.get(k)!;
        const theirs = runR(run.current!.get(k)!, lists, work);
        if (!theirs) break;
        let maxDiff = 0;
        for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
        console.log(
          `  ${k || '(all categories)'}: correlation ${correlation(ours, theirs).toFixed(6)}, max |Δz| ${maxDiff.toExponential(2)}`,
        );
      }
    }
  } finally {
    store.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\npeak RSS ${rss()} MB`);
}

await main();
