import type { Command } from 'commander';
import { pipelines } from '../../../pipelines/index.js';
import { Scheduler } from '../../pipeline/scheduler.js';
import { cronOf } from '../../pipeline/job.js';
import { cityTimeZone, configPath } from '../../store/config.js';
import { createLogger } from '../../store/log.js';
import { dbPathOf, globalOptions, loadConfigFor } from '../env.js';
import { createProgress } from '../progress.js';
import { stopSignal } from '../signals.js';
import { statusZh } from '../words.js';

export function register(program: Command): void {
  program
    .command('schedule')
    .description(
      '常驻调度：按计划（城市所在时区，即配置 city.timezone，默认北京时间）运行每夜、每周、每月任务，并补跑错过的运行',
    )
    .option('--catch-up-days <n>', '最多补跑多少天前错过的运行', '14')
    .option('--once', '补跑错过的运行后退出（供系统定时器使用，不常驻）')
    .action(async (opts: { catchUpDays: string; once?: boolean }, cmd: Command) => {
      const g = globalOptions(cmd);
      const config = await loadConfigFor(g);
      const log = createLogger({ cmd: 'schedule' });
      const stop = stopSignal(log);
      const results: Array<{ pipeline: string; as_of: string; status: string; ms: number; error?: string }> = [];
      const scheduler = new Scheduler({
        pipelines: Object.values(pipelines),
        dbPath: dbPathOf(g),
        config,
        log,
        outDir: configPath(config, config.outDir),
        // a scheduler is a service: its runs log progress events (with their run id), never draw a bar
        progress: createProgress(false, log).forRun,
        signal: stop.signal,
        catchUpDays: Number(opts.catchUpDays),
        onRun: (r) => {
          results.push({
            pipeline: r.pipeline,
            as_of: r.asOf,
            status: r.status,
            ms: r.ms,
            ...(r.error ? { error: r.error } : {}),
          });
          if (!g.json && !g.quiet)
            process.stdout.write(
              `${r.pipeline}（截至 ${r.asOf}）：${statusZh(r.status)}，用时 ${(r.ms / 1000).toFixed(1)} 秒${r.error ? '——' + r.error : ''}\n`,
            );
        },
      });
      try {
        await scheduler.catchUp();
        if (opts.once) {
          if (g.json) process.stdout.write(JSON.stringify({ runs: results }, null, 2) + '\n');
          if (results.some((r) => r.status !== 'ok')) process.exitCode = 1;
          return;
        }
        scheduler.start();
        for (const p of Object.values(pipelines))
          log.info(
            { event: 'scheduled', pipeline: p.name, cron: cronOf(p, config), timezone: cityTimeZone(config) },
            `${p.name}: ${cronOf(p, config)}`,
          );
        if (!g.json && !g.quiet)
          process.stdout.write(
            `调度已启动（${Object.values(pipelines)
              .map((p) => `${p.name} '${cronOf(p, config)}'`)
              .join('，')}，时区 ${cityTimeZone(config)}）；发送 SIGTERM 即停止\n`,
          );
        await scheduler.whenStopped();
      } finally {
        stop.dispose();
      }
    });
}
