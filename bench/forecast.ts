/**
 * npm run bench:forecast — two parts, each printing its figures:
 *  1. speed: the forecast stage (weekly series in SQL + fitting every series) on a store the size of a 10M-order
 *     city: 3.5 years × 80 level-2 categories (16 level-1) × 300 streets in 12 districts, ≈ 10M orders, a third
 *     of the categories with an annual wave;
 *  2. accuracy: a rolling-origin backtest on a generated demo city (src/synth), weisu beside the 52-week
 *     seasonal naive and — when Rscript with the forecast and prophet packages is installed — forecast::ets,
 *     forecast::stlf and prophet on the identical weekly series and origins (CSV out, Rscript, CSV back).
 *
 * Options (env): BENCH_SCALE (demo city volume, default 0.25), BENCH_CITY (reuse a generated city folder),
 * BENCH_FROM / BENCH_TO (origins, default 2025-06-02 … 2026-10-05), BENCH_STEP (weeks between origins, default 4),
 * BENCH_R_OUT (reuse the R forecasts of an earlier run on the same city and origins: its r-out.csv, kept with
 * BENCH_KEEP=1, which leaves the work folder in the temp dir),
 * BENCH_SKIP=speed|accuracy|r, BENCH_SPEED_STREETS (streets of the speed store, default 300 ≈ 10M orders; 30 ≈ 1M:
 * the series fitted are the same, only the SQL scales).
 *
 * Real series (BENCH_SERIES_DIR=<dir>): every weekly*.csv under the folder (columns key,week_start,y; one row per
 * Monday week) is one set of real public series (see /work/realdata/README.md). At BENCH_REAL_ORIGINS origins
 * (default 6) BENCH_REAL_STEP weeks apart (default 8), the last ending 8 weeks before the series' end, weisu
 * (calendar `none`: no Chinese holidays on foreign data) and R's ets, stlf, prophet and the 52-week seasonal naive
 * forecast 8 weeks ahead; MASE over horizons 1..4 and 1..8 (scaled by the in-sample seasonal naive), weisu against
 * the best anchor (ratio of means, geometric mean of per-series ratios, worst series), 80% interval coverage, and
 * surge warnings at origins every 4 weeks over the last two years: false ones (the warned peak ≥ 2× what came).
 * BENCH_REAL_FILES=<regex> keeps only the files whose path under the folder matches (one source at a time, without
 * refitting R on the others); BENCH_REAL_BEFORE=56 moves the origins a year earlier (development origins).
 * R's forecasts are cached in the temp dir by a hash of series and origins. Speed and the demo city run only
 * when BENCH_SKIP does not name them and BENCH_SERIES_DIR is unset, or when BENCH_DEMO=1.
 */
import { spawnSync } from 'node:child_process';
import { R_SCRIPT, realRun } from './forecast-real.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os, { tmpdir } from 'node:os';
import { Store } from '../src/store/db.js';
import { configFrom } from '../src/store/config.js';
import { createLogger } from '../src/store/log.js';
import { forecastStage } from '../src/forecast/stage.js';
import { backtestSeries, loadAllSeries, type BacktestPoint } from '../src/forecast/backtest.js';
import { dayStr } from '../src/forecast/features.js';
import { loadWeeklySeries, type KeyedSeries } from '../src/forecast/series.js';
import { generateCity } from '../src/synth/index.js';
import type { Truth } from '../src/synth/truth.js';

const skip = new Set((process.env.BENCH_SKIP ?? '').split(','));
const work = join(tmpdir(), `weisu-bench-forecast-${process.pid}`);
mkdirSync(work, { recursive: true });
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
const log = createLogger({ bench: 'forecast' });

async function speed(): Promise<void> {
  const store = await Store.open(join(work, 'speed.duckdb'));
  const t0 = performance.now();
  await store.exec(`
    CREATE TEMP TABLE bench_series AS
    SELECT c, s, 'L' || (c % 16) AS cat1, 'L' || (c % 16) || '/C' || c AS cat2, 'D' || (s % 12) AS district, 'S' || s AS street,
           (c % 3 = 0) AS seasonal, 0.33 * exp(1.0 * sqrt(-2 * ln(random())) * cos(2 * pi() * random()) - 0.5) AS base_rate
    FROM range(80) r1(c), range(${Number(process.env.BENCH_SPEED_STREETS ?? 300)}) r2(s)`);
  await store.exec(`
    INSERT INTO daily_counts
    SELECT day, cat1, cat2, district, street, n, 0, 0, 0, n FROM (
      SELECT d::DATE AS day, cat1, cat2, district, street,
             base_rate * CASE WHEN seasonal THEN 1 + 0.8 * cos(2 * pi() * (dayofyear(d) - 330) / 365.25) ELSE 1 END AS rate,
             CASE WHEN rate < 1 THEN (random() < rate)::INTEGER
                  ELSE greatest(0, round(rate + sqrt(rate) * sqrt(-2 * ln(random())) * cos(2 * pi() * random())))::INTEGER END AS n
      FROM bench_series, range(DATE '2023-01-02', DATE '2026-07-06', INTERVAL 1 DAY) r(d)
    ) WHERE n > 0`);
  const rows = (await store.value<number>('SELECT count(*) FROM daily_counts')) ?? 0;
  const orders = (await store.value<number>('SELECT sum(n) FROM daily_counts')) ?? 0;
  console.log(
    `speed: daily_counts: ${rows.toLocaleString()} rows, ${orders.toLocaleString()} orders (built in ${((performance.now() - t0) / 1000).toFixed(1)}s)`,
  );
  const config = configFrom({});
  const tq = performance.now();
  const weekly = await loadWeeklySeries(store, '2026-07-06', config.city.name);
  console.log(
    `speed: weekly series query: ${weekly.length} series in ${((performance.now() - tq) / 1000).toFixed(1)}s`,
  );
  for (let run = 1; run <= 3; run++) {
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const counts = await store.tx(() =>
      forecastStage.run({ store, asOf: '2026-07-06', runId: 'bench', log, config, outDir: work, progress: () => {} }),
    );
    const s = (performance.now() - t1) / 1000;
    const c = process.cpuUsage(c1);
    console.log(
      `speed: run ${run}: forecast stage ${s.toFixed(1)}s wall, ${((c.user + c.system) / 1e6).toFixed(1)}s CPU (all threads; machine load ${os.loadavg()[0].toFixed(1)}) for ${counts.series} series (${counts.city} city, ${counts.district} district), ${(Number(counts.series) / s).toFixed(1)} series/s, peak RSS ${rss()} MB`,
    );
  }
  store.close();
}

interface Loaded {
  dir: string;
  truth: Truth;
  store: Store;
}

async function demoCity(): Promise<Loaded> {
  const scale = Number(process.env.BENCH_SCALE ?? 0.25);
  const dir = process.env.BENCH_CITY ?? join(tmpdir(), `weisu-bench-forecast-city-${scale}`);
  if (!existsSync(join(dir, 'truth.json'))) {
    console.log(`accuracy: generating the demo city (scale ${scale}) in ${dir} …`);
    await generateCity({ outDir: dir, scale, seed: 12345 });
  }
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  const store = await Store.open(join(work, 'demo.duckdb'));
  const files = readdirSync(dir)
    .filter((f) => /^orders-\d+\.parquet$/.test(f))
    .map((f) => `'${join(dir, f).replace(/'/g, "''")}'`);
  // The forecast reads daily_counts only; fill it straight from the generated orders.
  await store.exec(`
    INSERT INTO daily_counts
    SELECT created_at::DATE, split_part(category, '/', 1), array_to_string(string_split(category, '/')[1:2], '/'), district, street, count(*)::INTEGER, 0, 0, 0, 0
    FROM read_parquet([${files.join(', ')}]) GROUP BY ALL`);
  return { dir, truth, store };
}

interface Scored {
  key: string;
  origin: string;
  horizon: number;
  actual: number;
  scale: number;
  forecasts: Record<string, number>;
  inside?: boolean;
}

function rscript(): boolean {
  const r = spawnSync('Rscript', ['-e', 'suppressMessages({library(forecast); library(prophet)}); cat("ok")'], {
    encoding: 'utf8',
  });
  return r.status === 0 && r.stdout.includes('ok');
}

async function accuracyRun(): Promise<void> {
  const { store, truth, dir } = await demoCity();
  const cfgRaw = JSON.parse(readFileSync(join(dir, 'weisu.config.json'), 'utf8')) as Record<string, unknown>;
  // BENCH_DEMO_FORECAST: JSON merged over the city's forecast section (to try settings on the same city)
  const demoExtra = JSON.parse(process.env.BENCH_DEMO_FORECAST ?? '{}') as Record<string, unknown>;
  cfgRaw.forecast = { ...((cfgRaw.forecast as Record<string, unknown> | undefined) ?? {}), ...demoExtra };
  const config = configFrom(cfgRaw, dir);
  const { series, end } = await loadAllSeries(store, config.city.name);
  store.close();
  const from = process.env.BENCH_FROM ?? '2025-06-02';
  const to = process.env.BENCH_TO ?? '2026-10-05';
  const step = Number(process.env.BENCH_STEP ?? 4);
  const horizons = [4, 8];
  const t0 = performance.now();
  const points = backtestSeries(series, end, config, { from, to, horizons, stepWeeks: step });
  const secs = (performance.now() - t0) / 1000;
  const origins = [...new Set(points.map((p) => p.origin))];
  console.log(
    `accuracy: weisu backtest ${origins.length} origins (${from} … ${to}, every ${step} weeks) in ${secs.toFixed(1)}s`,
  );
  // The demo city's seasonal categories (truth.json), level 2, city-wide.
  const seasonal = new Set(truth.seasonalCategories);
  const chosen = points.filter((p) => p.scopeLevel === 'city' && p.level === 2 && seasonal.has(p.category));
  const keyOf = (p: BacktestPoint) => p.category;
  const scored: Scored[] = chosen.map((p) => ({
    key: keyOf(p),
    origin: p.origin,
    horizon: p.horizon,
    actual: p.actual,
    scale: p.scale,
    forecasts: { weisu: p.yhat, snaive: p.snaive },
    inside: p.actual >= p.lo && p.actual <= p.hi,
  }));
  if (!skip.has('r') && rscript()) {
    const bySeries = new Map<string, KeyedSeries>(
      series
        .filter((s) => s.scopeLevel === 'city' && s.level === 2 && seasonal.has(s.category))
        .map((s) => [s.category, s]),
    );
    const seriesCsv = ['key,week_start,y'];
    for (const [k, s] of bySeries) s.y.forEach((v, i) => seriesCsv.push(`${k},${dayStr(s.start + 7 * i)},${v}`));
    const originCsv = ['key,origin', ...[...new Set(chosen.map((p) => `${keyOf(p)},${p.origin}`))]];
    writeFileSync(join(work, 'series.csv'), seriesCsv.join('\n') + '\n');
    writeFileSync(join(work, 'origins.csv'), originCsv.join('\n') + '\n');
    writeFileSync(join(work, 'baselines.R'), R_SCRIPT);
    const t1 = performance.now();
    const reuse = process.env.BENCH_R_OUT;
    const r = reuse
      ? { status: 0, stderr: '' }
      : spawnSync(
          'Rscript',
          [
            join(work, 'baselines.R'),
            join(work, 'series.csv'),
            join(work, 'origins.csv'),
            join(work, 'r-out.csv'),
            String(Math.max(...horizons)),
          ],
          { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        );
    if (r.status !== 0) {
      console.log(`accuracy: Rscript failed: ${r.stderr.split('\n').slice(-5).join(' ')}`);
    } else {
      if (reuse) console.log(`accuracy: R baselines (ets, stlf, prophet) reused from ${reuse}`);
      else
        console.log(
          `accuracy: R baselines (ets, stlf, prophet) for ${originCsv.length - 1} series × origins in ${((performance.now() - t1) / 1000).toFixed(1)}s`,
        );
      const lines = readFileSync(reuse ?? join(work, 'r-out.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      const rf = new Map<string, Record<string, number>>();
      for (const line of lines) {
        const [key, origin, h, ets, stlf, prophet] = line.split(',').map((v) => v.replace(/^"|"$/g, ''));
        rf.set(`${key}|${origin}|${h}`, {
          ets: Number(ets),
          stlf: Number(stlf),
          prophet: Math.max(0, Number(prophet)),
        });
      }
      for (const s of scored) Object.assign(s.forecasts, rf.get(`${s.key}|${s.origin}|${s.horizon}`) ?? {});
    }
  } else {
    console.log(
      'accuracy: R with forecast and prophet not found (apt-get install -y r-cran-forecast r-cran-prophet): weisu vs seasonal naive only',
    );
  }
  const methods = ['weisu', 'snaive', 'ets', 'stlf', 'prophet'].filter((m) =>
    scored.some((s) => Number.isFinite(s.forecasts[m])),
  );
  console.log(
    `accuracy: ${new Set(scored.map((s) => s.key)).size} seasonal level-2 categories of the demo city (truth.json), city-wide; MASE scaled by in-sample 52-week seasonal naive`,
  );
  console.log(
    `  ${'h'.padStart(2)}  ${'n'.padStart(4)}  ${methods.map((m) => m.padStart(8)).join('')}   best baseline   weisu vs best   80% coverage`,
  );
  for (const h of horizons) {
    // Identical points for every method: only where all of them produced a number.
    const rows = scored.filter(
      (s) => s.horizon === h && s.scale > 0 && methods.every((m) => Number.isFinite(s.forecasts[m])),
    );
    const mase: Record<string, number> = {};
    for (const m of methods)
      mase[m] = rows.reduce((a, s) => a + Math.abs(s.actual - s.forecasts[m]) / s.scale, 0) / Math.max(1, rows.length);
    const baselines = methods.filter((m) => m !== 'weisu');
    const best = baselines.reduce((a, b) => (mase[b] < mase[a] ? b : a));
    const cover = rows.filter((s) => s.inside).length / Math.max(1, rows.length);
    console.log(
      `  ${String(h).padStart(2)}  ${String(rows.length).padStart(4)}  ${methods.map((m) => mase[m].toFixed(3).padStart(8)).join('')}   ${best.padEnd(13)}   ${((1 - mase.weisu / mase[best]) * 100).toFixed(1).padStart(5)}% lower   ${(cover * 100).toFixed(1)}%`,
    );
  }
  // Per category at h = 4 and 8, so a reader sees where the gain comes from.
  const cats = [...new Set(scored.map((s) => s.key))].sort();
  for (const c of cats) {
    const parts = horizons.map((h) => {
      const rows = scored.filter(
        (s) => s.key === c && s.horizon === h && s.scale > 0 && methods.every((m) => Number.isFinite(s.forecasts[m])),
      );
      return (
        `h${h}: ` +
        methods
          .map(
            (m) =>
              `${m} ${(rows.reduce((a, s) => a + Math.abs(s.actual - s.forecasts[m]) / s.scale, 0) / Math.max(1, rows.length)).toFixed(2)}`,
          )
          .join(' ')
      );
    });
    console.log(`  ${c.padEnd(14)} ${parts.join(' | ')}`);
  }
}

try {
  const realDir = process.env.BENCH_SERIES_DIR;
  const demoToo = !realDir || process.env.BENCH_DEMO === '1';
  if (demoToo && !skip.has('speed')) await speed();
  if (demoToo && !skip.has('accuracy')) await accuracyRun();
  if (realDir) await realRun(realDir);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
}
