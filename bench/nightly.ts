// npm run bench:nightly [-- --rows 10000000 --new 30000 --runs 3] [--out DIR] [--keep-city] [--snapshot | --from-snapshot]
//   [--first-only]
// Builds a store of N orders over ~3 years of the demo city from raw files (the "full rebuild"), then drops N_new
// new orders into the drop folder and times the nightly pipeline on them (median of --runs fresh drops), and the
// monthly pipeline. Each pipeline runs in its own process (`weisu run`), which reports its peak RSS.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateCity, type GenerateCityOptions, type GeneratedCity } from '../src/synth/index.js';
import { addDays } from '../src/store/dates.js';
import { packageRoot } from '../src/store/paths.js';
import { Store } from '../src/store/db.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const rows = arg('rows', 10_000_000);
const fresh = arg('new', 30_000);
const repeats = arg('runs', 3);
// --out <dir>: where the cities, the store and the drop folder go (default bench/out/nightly), so stores of two
// sizes can be kept side by side
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? resolve(process.argv[outAt + 1]!) : join(packageRoot, 'bench/out/nightly');
const cityDir = join(out, 'city');
const dbPath = join(out, 'bench.duckdb');
const drop = join(out, 'drop');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface CliRun {
  runId: string;
  status: string;
  ms: number;
  peakRssMb: number;
  counts: Record<string, Record<string, number | string>>;
}

function weisu(args: string[], allowFail = false): { wallS: number; json: CliRun | Record<string, unknown> } {
  const t = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(packageRoot, 'src/cli/main.ts'),
      '--db',
      dbPath,
      '--config',
      configFile,
      '--json',
      ...args,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, WEISU_LOG_LEVEL: 'warn', WEISU_SALT: 'bench-salt-0123456789' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // a failed run still prints its JSON (status 'failed'); the bench reports it rather than stopping before the table
  if (r.status !== 0 && !(allowFail && r.stdout.trim().startsWith('{'))) {
    throw new Error(`weisu ${args.join(' ')} failed: ${r.stderr}`);
  }
  return { wallS: (Date.now() - t) / 1000, json: JSON.parse(r.stdout) };
}

// Each stage's wall time and the process's peak RSS when it ended (read from run_stages once the run's process has
// exited and released the store): where the time and the memory of a run go.
async function stageLine(runId: string): Promise<string> {
  const s = await Store.open(dbPath);
  const rows = await s.all<{ stage: string; s: number; mb: number | null }>(
    `SELECT stage, round(epoch(ended_at - started_at), 1) AS s, TRY_CAST(counts ->> 'peak_rss_mb' AS INTEGER) AS mb
     FROM run_stages WHERE run_id = $r AND status = 'ok' ORDER BY started_at`,
    { r: runId },
  );
  s.close();
  return rows.map((r) => `${r.stage} ${r.s} s${r.mb ? ` (${r.mb} MB)` : ''}`).join(', ');
}

// --keep-city reuses the generated cities of an earlier run with the same options (generating 10M orders takes
// minutes and is not what this bench measures); the store and the drop folder are always rebuilt.
const keepCity = process.argv.includes('--keep-city');
if (keepCity) {
  for (const f of [dbPath, `${dbPath}.wal`, `${dbPath}.lock`]) rmSync(f, { force: true });
  rmSync(drop, { recursive: true, force: true });
} else rmSync(out, { recursive: true, force: true });
mkdirSync(drop, { recursive: true });

async function city(opts: GenerateCityOptions): Promise<GeneratedCity> {
  const manifest = join(opts.outDir, 'bench-manifest.json');
  const key = JSON.stringify({ scale: opts.scale, start: opts.start, end: opts.end });
  if (keepCity && existsSync(manifest)) {
    const kept = JSON.parse(readFileSync(manifest, 'utf8')) as { key: string; city: GeneratedCity };
    if (kept.key === key) return kept.city;
  }
  const made = await generateCity(opts);
  writeFileSync(manifest, JSON.stringify({ key, city: made }));
  return made;
}

// ~3 years ending 2026-12-01; the synth's scale 1 is about 2,000 orders a day in the first year, growing 8%/year.
const start = '2023-12-01';
const end = '2026-12-01';
const scale = rows / (2000 * 1.08 * 1096);
let t = Date.now();
const generated = await city({ outDir: cityDir, scale, start, end });
const genS = (Date.now() - t) / 1000;
console.log(
  `city: ${generated.orders.toLocaleString('en')} orders (scale ${scale.toFixed(2)}), ${keepCity ? 'generated or reused' : 'generated'} in ${genS.toFixed(1)} s`,
);

// The city's own config plus the drop folder, written beside it so its relative paths still resolve.
// The bench's orders lie on a fixed calendar (start to end + 28 days of incremental nights), whatever the machine's
// clock says, so the config ends the plausible window on its last day: ingest's default ends near today, and a bench
// run before 2026-12-29 would otherwise quarantine every order of the nights dated after it.
const lastNight = addDays(end, 28);
const cityConfig = JSON.parse(readFileSync(generated.configFile, 'utf8')) as { ingest?: Record<string, unknown> };
const configFile = join(dirname(generated.configFile), 'bench.config.json');
writeFileSync(
  configFile,
  JSON.stringify(
    {
      ...cityConfig,
      dropFolder: drop,
      // each night's file is written just before the run: read it at once
      ingest: { ...cityConfig.ingest, date_window: { to: lastNight }, settle_minutes: 0 },
    },
    null,
    2,
  ),
);

// Full rebuild from raw files: ingest everything, then the first nightly run derives every order.
// --snapshot keeps a copy of the store as ingested; --from-snapshot (with --keep-city) starts from that copy instead
// of ingesting again, so the first nightly can be re-measured without the ingest's minutes of CPU.
const snapshot = join(out, 'ingested.duckdb');
const fromSnapshot = keepCity && process.argv.includes('--from-snapshot') && existsSync(snapshot);
t = Date.now();
let ingest: { json: unknown } = { json: 'from snapshot' };
if (fromSnapshot) cpSync(snapshot, dbPath);
else ingest = weisu(['ingest', ...generated.ordersFiles]);
const ingestS = (Date.now() - t) / 1000;
if (process.argv.includes('--snapshot') && !fromSnapshot) cpSync(dbPath, snapshot);
const first = weisu(['run', 'nightly', '--as-of', end]).json as CliRun;
console.log(
  `full rebuild: ingest ${ingestS.toFixed(1)} s (${JSON.stringify(ingest.json)}), first nightly ${(first.ms / 1000).toFixed(1)} s, peak RSS ${first.peakRssMb} MB`,
);
console.log(
  `  stages: ${Object.entries(first.counts)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join('; ')}`,
);
console.log(`  time: ${await stageLine(first.runId)}`);
// --first-only: the first nightly is what was to be measured (e.g. its memory, from a snapshot)
if (process.argv.includes('--first-only')) process.exit(first.status === 'ok' ? 0 : 1);

// Incremental nights: 28 more days of the same city, cut in time order into drops of `fresh` orders; each night
// ingests one drop from the drop folder and runs as of the day after its last order.
// with a margin: the extra days must hold at least repeats × fresh orders
const extraScale = (1.6 * fresh * repeats) / (2000 * 1.3 * 28);
const extra = await city({ outDir: join(out, 'extra'), scale: extraScale, start: end, end: lastNight });
const cutter = await Store.open(':memory:', { migrate: false });
const src = `read_parquet([${extra.ordersFiles.map((f) => `'${f}'`).join(', ')}])`;
const nightly: CliRun[] = [];
for (let i = 0; i < repeats; i++) {
  const file = join(drop, `night-${i}.parquet`);
  await cutter.exec(
    `COPY (SELECT * FROM ${src} ORDER BY created_at, order_id LIMIT ${fresh} OFFSET ${i * fresh}) TO '${file}' (FORMAT parquet)`,
  );
  const asOf = (await cutter.value<string>(
    `SELECT (max(created_at)::DATE + 1)::VARCHAR FROM read_parquet('${file}')`,
  ))!;
  const n = (await cutter.value<number>(`SELECT count(*) FROM read_parquet('${file}')`))!;
  const r = weisu(['run', 'nightly', '--as-of', asOf]).json as CliRun;
  nightly.push(r);
  // a night that quarantined its orders measured an empty night: say so beside its figures
  const quarantined = Number(r.counts.ingest?.quarantined ?? 0);
  if (quarantined > 0) console.log(`  WARNING: ${quarantined} of ${n} new orders quarantined`);
  console.log(
    `nightly ${i + 1} as of ${asOf}: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.peakRssMb} MB, ${n} new orders (${r.status})`,
  );
  console.log(
    `  stages: ${Object.entries(r.counts)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join('; ')}`,
  );
  console.log(`  time: ${await stageLine(r.runId)}`);
}
cutter.close();
const monthly = weisu(['run', 'monthly', '--as-of', end], true).json as CliRun;
console.log(
  `monthly as of ${end}: ${(monthly.ms / 1000).toFixed(1)} s, peak RSS ${monthly.peakRssMb} MB (${monthly.status})\n  time: ${await stageLine(monthly.runId)}`,
);

console.log('\n| what | target | measured |');
console.log('|---|---|---|');
console.log(`| store | ${rows.toLocaleString('en')} orders | ${generated.orders.toLocaleString('en')} |`);
console.log(
  `| full rebuild from raw files (ingest + first nightly) | < 600 s | ${(ingestS + first.ms / 1000).toFixed(1)} s |`,
);
console.log(
  `| nightly with ~${fresh.toLocaleString('en')} new orders, median of ${repeats} | < 30 s | ${(median(nightly.map((r) => r.ms)) / 1000).toFixed(1)} s |`,
);
console.log(`| nightly peak RSS (max) | < 2048 MB | ${Math.max(...nightly.map((r) => r.peakRssMb))} MB |`);
console.log(
  `| monthly pipeline | < 60 s | ${(monthly.ms / 1000).toFixed(1)} s (peak RSS ${monthly.peakRssMb} MB, ${monthly.status}) |`,
);
