import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipelines } from '../../../pipelines/index.js';
import { ingestFiles } from '../../ingest/index.js';
import { runJob } from '../../pipeline/job.js';
import { simulateFeedback } from '../../assign/simulate.js';
import { generateCity, type GeneratedCity } from '../../synth/index.js';
import type { Truth } from '../../synth/truth.js';
import { Store } from '../../store/db.js';
import { configPath, loadConfig } from '../../store/config.js';
import { addDays, addMonths, weekStart } from '../../store/dates.js';
import { createLogger } from '../../store/log.js';
import { dataPath } from '../../store/paths.js';
import { resolveSalt } from '../../store/salt.js';
import { dbPathOf, globalOptions } from '../env.js';
import { createProgress } from '../progress.js';
import { stopSignal } from '../signals.js';

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

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'generate (or reuse) the embedded demo city, load it, and run every pipeline end to end, writing the report',
    )
    .option('--out <dir>', 'where the demo city files, outputs and report go', 'demo-out')
    .option('--seed <n>', 'generator seed', '12345')
    .option('--scale <x>', 'volume scale (1 ≈ 2,000 orders a day)', '1')
    .option('--start <date>', 'first day of orders (default 2023-01-01)')
    .option('--end <date>', 'day after the last orders, and the as-of of the runs (default 2026-12-01)')
    .option('--regenerate', 'make the city files again even if they exist')
    .action(async (opts: DemoOptions, cmd: Command) => {
      const g = globalOptions(cmd);
      const log = createLogger({ cmd: 'demo' });
      const out = resolve(opts.out);
      const cityDir = join(out, 'city');
      const say = (line: string) => {
        if (!g.json && !g.quiet) process.stdout.write(line + '\n');
      };
      const bar = createProgress(!g.json && !g.quiet);
      const stop = stopSignal(log);
      const t0 = Date.now();
      try {
        const seed = Number(opts.seed);
        const scale = Number(opts.scale);
        // The generator's result is kept next to the files, so a second `weisu demo` reuses them.
        const manifest = join(cityDir, 'demo-manifest.json');
        let city: GeneratedCity;
        if (
          !opts.regenerate &&
          existsSync(manifest) &&
          sameCity(join(cityDir, 'truth.json'), { seed, scale, start: opts.start, end: opts.end })
        ) {
          say(`reusing the demo city in ${cityDir}`);
          city = {
            ...(JSON.parse(readFileSync(manifest, 'utf8')) as GeneratedCity),
            truth: JSON.parse(readFileSync(join(cityDir, 'truth.json'), 'utf8')) as Truth,
          };
        } else {
          say(`generating the demo city (seed ${seed}, scale ${scale}) in ${cityDir} …`);
          city = await generateCity({
            outDir: cityDir,
            seed,
            scale,
            start: opts.start,
            end: opts.end,
            log,
            progress: bar.progress,
          });
          writeFileSync(manifest, JSON.stringify({ ...city, truth: undefined }, null, 2));
        }
        const truth = city.truth;
        const configFile = g.config ?? city.configFile ?? dataPath('demo-city/weisu.config.json');
        const config = loadConfig(configFile);
        const dbPath = dbPathOf(g);

        const store = await Store.open(dbPath);
        let ingest;
        try {
          say(`loading ${city.ordersFiles.length + 1} files into ${dbPath} …`);
          ingest = await ingestFiles(store, [...city.ordersFiles, city.gbkCsv], {
            salt: resolveSalt(config, dbPath),
            log,
            progress: bar.progress,
            // the generated orders are plausible by construction, even where --end is ahead of this machine's clock
            dateWindow: { to: truth.end },
          });
          await store.exec(
            "INSERT OR REPLACE INTO settings VALUES ('demo.truth', $truth), ('demo.city_dir', $dir), ('config.path', $config)",
            { truth: city.truthFile, dir: cityDir, config: resolve(configFile) },
          );
        } finally {
          store.close();
        }
        bar.stop();
        say(
          `  read ${ingest.read}, loaded ${ingest.loaded}, updated ${ingest.updated}, unchanged ${ingest.unchanged}, quarantined ${ingest.quarantined}`,
        );

        // The runs a city would have had on the morning after the last order: nightly and monthly as of the end,
        // weekly as of that week's Monday.
        const end = truth.end;
        // An earlier month first, so the closed loop has something to show: that month's topic (auto-selected, as
        // no leader picks one in a demo) and hotspots become items, simulated 回传 plays out until the end, and the
        // final monthly run measures their effect and fills the unit scorecard. The demo city has no planted
        // treatment effect, so the honest effect shown is close to zero with an interval around it.
        const loopMonth = addMonths(end.slice(0, 7), -3) + '-01';
        const jobs = [
          ...(loopMonth > truth.start
            ? [{ pipeline: pipelines.monthly!, asOf: loopMonth, then: 'simulate' as const }]
            : []),
          { pipeline: pipelines.nightly!, asOf: end },
          { pipeline: pipelines.weekly!, asOf: weekStart(end) },
          { pipeline: pipelines.monthly!, asOf: end.slice(0, 8) + '01' },
        ];
        const runs = [];
        for (const job of jobs) {
          say(`running ${job.pipeline.name} as of ${job.asOf} …`);
          const r = await runJob(job.pipeline, job.asOf, {
            dbPath,
            config,
            log,
            outDir: configPath(config, join(out, 'out')),
            progress: bar.progress,
            signal: stop.signal,
            onStage: (e) => {
              if (e.phase === 'end') say(`  ${e.stage.padEnd(10)} ${((e.ms ?? 0) / 1000).toFixed(1).padStart(6)}s`);
            },
          });
          bar.stop();
          runs.push({
            pipeline: r.pipeline,
            as_of: r.asOf,
            status: r.status,
            seconds: r.ms / 1000,
            error: r.error ?? null,
          });
          if ('then' in job && r.status === 'ok') {
            const loopStore = await Store.open(dbPath);
            try {
              const sim = await loopStore.tx(() => simulateFeedback(loopStore, end));
              say(`  simulated 回传: ${sim.updates} status updates on ${sim.items} items (marked as simulated)`);
            } finally {
              loopStore.close();
            }
          }
          if (r.status !== 'ok') {
            process.stderr.write(`weisu: demo: ${r.pipeline} ${r.status}: ${r.error ?? ''}\n`);
            process.exitCode = 1;
          }
        }
        const month = end.slice(0, 7);
        const report = join(out, 'out', 'reports', month, 'report.html');
        const summary = {
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
        if (g.json) {
          process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
          return;
        }
        say('');
        say(
          `demo city ${truth.city}: ${ingest.read.toLocaleString('en')} orders ${truth.start} – ${addDays(end, -1)}, done in ${summary.seconds.toFixed(0)}s`,
        );
        say(`  store     ${dbPath}`);
        if (summary.report) say(`  report    ${summary.report}`);
        say(`  truth     ${city.truthFile}  (the events the generator planted)`);
        say(`try:  npx weisu --db ${g.db} alerts --as-of ${end} | head -40`);
        say(`      npx weisu --db ${g.db} topics --month ${month}`);
        say(`      npx weisu --db ${g.db} hotspots --as-of ${end}`);
      } finally {
        bar.stop();
        stop.dispose();
      }
    });
}
