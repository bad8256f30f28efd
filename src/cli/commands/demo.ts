import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pipelines } from '../../../pipelines/index.js';
import { ingestFiles, type IngestSummary } from '../../ingest/index.js';
import { runJob, type JobOptions } from '../../pipeline/job.js';
import type { Pipeline } from '../../pipeline/types.js';
import { simulateFeedback } from '../../assign/simulate.js';
import { generateCity, type GeneratedCity } from '../../synth/index.js';
import type { Truth } from '../../synth/truth.js';
import { Store } from '../../store/db.js';
import { sql } from '../../store/sql.js';
import { configPath, loadConfig, type Config } from '../../store/config.js';
import { addDays, addMonths, weekStart } from '../../store/dates.js';
import { createLogger, type Logger } from '../../store/log.js';
import { dataPath } from '../../store/paths.js';
import { resolveSalt } from '../../store/salt.js';
import { dbPathOf, globalOptions, type GlobalOptions } from '../env.js';
import { createProgress } from '../progress.js';
import { stopSignal } from '../signals.js';
import { statusZh } from '../words.js';

interface DemoOptions {
  out: string;
  seed: string;
  scale: string;
  start?: string;
  end?: string;
  regenerate?: boolean;
}

/** The demo city's files are reused when truth.json says they were made with the same options. */
function sameCity(truthFile: string, want: { seed: number; scale: number; start?: string; end?: string }): boolean {
  if (!existsSync(truthFile)) return false;
  try {
    const t = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
    return (
      t.seed === want.seed &&
      t.scale === want.scale &&
      (!want.start || t.start === want.start) &&
      (!want.end || t.end === want.end)
    );
  } catch {
    return false;
  }
}

interface DemoIo {
  say: (line: string) => void;
  log: Logger;
  bar: ReturnType<typeof createProgress>;
}

/** Reuse the demo city's files when they were made with the same options; otherwise generate them. */
async function demoCity(opts: DemoOptions, cityDir: string, io: DemoIo): Promise<GeneratedCity> {
  const seed = Number(opts.seed);
  const scale = Number(opts.scale);
  // The generator's result is kept next to the files, so a second `weisu demo` reuses them.
  const manifest = join(cityDir, 'demo-manifest.json');
  const truthFile = join(cityDir, 'truth.json');
  if (
    !opts.regenerate &&
    existsSync(manifest) &&
    sameCity(truthFile, { seed, scale, start: opts.start, end: opts.end })
  ) {
    io.say(`沿用已生成的演示城市：${cityDir}`);
    return {
      ...(JSON.parse(readFileSync(manifest, 'utf8')) as GeneratedCity),
      truth: JSON.parse(readFileSync(truthFile, 'utf8')) as Truth,
    };
  }
  io.say(`正在生成演示城市（随机种子 ${seed}，规模 ${scale}）：${cityDir} …`);
  const city = await generateCity({
    outDir: cityDir,
    seed,
    scale,
    start: opts.start,
    end: opts.end,
    log: io.log,
    progress: io.bar.progress,
  });
  writeFileSync(manifest, JSON.stringify({ ...city, truth: undefined }, null, 2));
  return city;
}

/** Load the city's files and remember its truth, folder and config in the store. */
async function loadCity(
  city: GeneratedCity,
  cityDir: string,
  dbPath: string,
  configFile: string,
  config: Config,
  io: DemoIo,
): Promise<IngestSummary> {
  const store = await Store.open(dbPath);
  try {
    io.say(`正在把 ${city.ordersFiles.length + 1} 个文件读入 ${dbPath} …`);
    const ingest = await ingestFiles(store, [...city.ordersFiles, city.gbkCsv], {
      salt: resolveSalt(config, dbPath),
      log: io.log,
      progress: io.bar.progress,
      // the generated orders are plausible by construction, even where --end is ahead of this machine's clock
      dateWindow: { to: city.truth.end },
    });
    await store.exec(sql('store/demo_settings.sql'), {
      truth: city.truthFile,
      dir: cityDir,
      config: resolve(configFile),
    });
    return ingest;
  } finally {
    io.bar.stop();
    store.close();
  }
}

interface DemoJob {
  pipeline: Pipeline;
  asOf: string;
  simulateUntil?: string;
}

/**
 * The runs a city would have had on the morning after the last order: nightly and monthly as of the end, weekly as
 * of that week's Monday. An earlier month comes first, so the closed loop has something to show: that month's
 * topic (auto-selected, as no leader picks one in a demo) and hotspots become items, simulated 回传 plays out until
 * the end, and the final monthly run measures their effect and fills the unit scorecard. The demo city has no
 * planted treatment effect, so the honest effect shown is close to zero with an interval around it.
 */
function demoJobs(truth: Truth): DemoJob[] {
  const end = truth.end;
  const loopMonth = addMonths(end.slice(0, 7), -3) + '-01';
  return [
    ...(loopMonth > truth.start ? [{ pipeline: pipelines.monthly!, asOf: loopMonth, simulateUntil: end }] : []),
    { pipeline: pipelines.nightly!, asOf: end },
    { pipeline: pipelines.weekly!, asOf: weekStart(end) },
    { pipeline: pipelines.monthly!, asOf: end.slice(0, 8) + '01' },
  ];
}

async function simulate(dbPath: string, until: string, io: DemoIo): Promise<void> {
  const store = await Store.open(dbPath);
  try {
    const sim = await store.tx(() => simulateFeedback(store, until));
    io.say(`  模拟回传：${sim.items} 项事项的 ${sim.updates} 次状态更新（已标为模拟）`);
  } finally {
    store.close();
  }
}

interface DemoRun {
  pipeline: string;
  as_of: string;
  status: string;
  seconds: number;
  error: string | null;
}

async function runDemoJobs(
  jobs: DemoJob[],
  opts: Omit<JobOptions, 'onStage' | 'progress'>,
  io: DemoIo,
): Promise<DemoRun[]> {
  const runs: DemoRun[] = [];
  for (const job of jobs) {
    io.say(`正在运行 ${job.pipeline.name}（截至 ${job.asOf}）…`);
    const r = await runJob(job.pipeline, job.asOf, {
      ...opts,
      progress: io.bar.forRun,
      onStage: (e) => {
        if (e.phase === 'end') io.say(`  ${e.stage.padEnd(10)} ${((e.ms ?? 0) / 1000).toFixed(1).padStart(6)}s`);
      },
    });
    io.bar.stop();
    runs.push({ pipeline: r.pipeline, as_of: r.asOf, status: r.status, seconds: r.ms / 1000, error: r.error ?? null });
    if (job.simulateUntil && r.status === 'ok') await simulate(opts.dbPath, job.simulateUntil, io);
    if (r.status !== 'ok') {
      process.stderr.write(`weisu: demo：${r.pipeline} ${statusZh(r.status)}：${r.error ?? ''}\n`);
      process.exitCode = 1;
    }
  }
  return runs;
}

/**
 * Point the demo city's config at `<--out>/out` (relative to the config, so the folder can move): the demo's runs
 * and every later command on its store (which finds this config through the store) then write to the same folder.
 */
function sendOutputsTo(configFile: string, outDir: string): void {
  const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const rel = relative(dirname(configFile), outDir) || '.';
  if (cfg.outDir === rel) return;
  writeFileSync(configFile, JSON.stringify({ ...cfg, outDir: rel }, null, 2) + '\n');
}

function printSummary(summary: DemoSummary, db: string, truth: Truth, io: DemoIo): void {
  const month = truth.end.slice(0, 7);
  io.say('');
  io.say(
    `演示城市${truth.city}：${summary.ingest.read.toLocaleString('en')} 件工单，${truth.start} – ${addDays(truth.end, -1)}，用时 ${summary.seconds.toFixed(0)} 秒`,
  );
  io.say(`  数据库    ${summary.db}`);
  if (summary.report) io.say(`  报告      ${summary.report}`);
  io.say(`  真值      ${summary.truth}（生成器埋入的事件）`);
  io.say(`试试：npx weisu --db ${db} alerts --as-of ${truth.end} | head -40`);
  io.say(`      npx weisu --db ${db} topics --month ${month}`);
  io.say(`      npx weisu --db ${db} hotspots --as-of ${truth.end}`);
  io.say(`      npx weisu --db ${db} report --month ${month}`);
}

interface DemoSummary {
  db: string;
  city: string;
  orders: number;
  ingest: IngestSummary;
  runs: DemoRun[];
  report: string | null;
  truth: string;
  config: string;
  seconds: number;
}

async function demo(opts: DemoOptions, g: GlobalOptions, io: DemoIo, signal: AbortSignal): Promise<void> {
  const t0 = Date.now();
  const out = resolve(opts.out);
  const cityDir = join(out, 'city');
  const city = await demoCity(opts, cityDir, io);
  const truth = city.truth;
  // a config given with --config keeps its own outDir
  if (!g.config && city.configFile) sendOutputsTo(city.configFile, join(out, 'out'));
  const configFile = g.config ?? city.configFile ?? dataPath('demo-city/weisu.config.json');
  const config = loadConfig(configFile);
  const dbPath = dbPathOf(g);
  const ingest = await loadCity(city, cityDir, dbPath, configFile, config, io);
  io.say(
    `  读取 ${ingest.read} 行，新增 ${ingest.loaded}，更新 ${ingest.updated}，未变 ${ingest.unchanged}，隔离 ${ingest.quarantined}`,
  );
  const outDir = configPath(config, config.outDir);
  const runs = await runDemoJobs(demoJobs(truth), { dbPath, config, log: io.log, outDir, signal }, io);
  const report = join(outDir, 'reports', truth.end.slice(0, 7), 'report.html');
  const summary: DemoSummary = {
    db: dbPath,
    city: truth.city,
    orders: ingest.read,
    ingest,
    runs,
    report: existsSync(report) ? report : null,
    truth: city.truthFile,
    config: resolve(configFile),
    seconds: (Date.now() - t0) / 1000,
  };
  if (g.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else printSummary(summary, g.db, truth, io);
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('生成（或沿用）内置演示城市，读入后从头到尾运行全部任务，并写出报告')
    .option('--out <dir>', '演示城市文件及其输出和报告所在的文件夹（<dir>/out，或 --config 的 outDir）', 'demo-out')
    .option('--seed <n>', '随机种子', '12345')
    .option('--scale <x>', '工单量倍数（1 ≈ 每天 2000 件）', '1')
    .option('--start <date>', '工单的第一天（默认 2023-01-01）')
    .option('--end <date>', '最后一天工单的次日，也是各任务的截至日期（默认 2026-12-01）')
    .option('--regenerate', '即使城市文件已存在也重新生成')
    .action(async (opts: DemoOptions, cmd: Command) => {
      const g = globalOptions(cmd);
      const log = createLogger({ cmd: 'demo' });
      const say = (line: string) => {
        if (!g.json && !g.quiet) process.stdout.write(line + '\n');
      };
      const bar = createProgress(!g.json && !g.quiet, log);
      const stop = stopSignal(log);
      try {
        await demo(opts, g, { say, log, bar }, stop.signal);
      } finally {
        bar.stop();
        stop.dispose();
      }
    });
}
