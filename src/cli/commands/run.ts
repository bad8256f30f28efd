import type { Command } from 'commander';
import { pipelines } from '../../../pipelines/index.js';
import { runJob } from '../../pipeline/job.js';
import { assertNoRunLock } from '../../pipeline/lock.js';
import { configPath } from '../../store/config.js';
import { UserError } from '../../store/errors.js';
import { createLogger } from '../../store/log.js';
import { asOfOption, dbPathOf, globalOptions, loadConfigFor } from '../env.js';
import { createProgress } from '../progress.js';
import { stopSignal } from '../signals.js';
import { statusZh } from '../words.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('运行一次定时任务：nightly（每夜）| weekly（每周）| monthly（每月）')
    .argument('<pipeline>', 'nightly、weekly 或 monthly')
    .option('--as-of <date>', '只用此日期之前受理的工单（YYYY-MM-DD）；默认今天')
    .option('--retries <n>', '步骤偶发失败时额外重试的次数', '2')
    .action(async (name: string, opts: { asOf?: string; retries: string }, cmd: Command) => {
      const pipeline = pipelines[name];
      if (!pipeline) throw new UserError(`没有 '${name}' 这个任务（可选：${Object.keys(pipelines).join(', ')}）`);
      const asOfIn = asOfOption(opts.asOf);
      const g = globalOptions(cmd);
      // before anything opens the file: a second run gets the holder's name, not the database's lock error
      if (dbPathOf(g) !== ':memory:') assertNoRunLock(dbPathOf(g));
      const config = await loadConfigFor(g);
      const asOf = asOfIn(config);
      const log = createLogger({ cmd: 'run' });
      const bar = createProgress(!g.json && !g.quiet, log);
      const say = (line: string) => {
        if (!g.json && !g.quiet) process.stdout.write(line + '\n');
      };
      const stop = stopSignal(log);
      try {
        const result = await runJob(pipeline, asOf, {
          dbPath: dbPathOf(g),
          config,
          log,
          outDir: configPath(config, config.outDir),
          progress: bar.forRun,
          signal: stop.signal,
          retries: Number(opts.retries),
          onStage: (e) => {
            if (e.phase === 'end')
              say(
                `  ${e.stage.padEnd(10)} ${((e.ms ?? 0) / 1000).toFixed(1).padStart(6)}s  ${summarise(e.counts ?? {})}`,
              );
          },
        });
        bar.stop();
        if (g.json) process.stdout.write(JSON.stringify({ ...result, cause: undefined }, null, 2) + '\n');
        else
          say(
            `${pipeline.name}（截至 ${asOf}）：${statusZh(result.status)}，用时 ${(result.ms / 1000).toFixed(1)} 秒（运行编号 ${result.runId}）`,
          );
        if (result.status !== 'ok') {
          process.stderr.write(`weisu: 运行 ${result.runId} ${statusZh(result.status)}：${result.error ?? ''}\n`);
          process.exitCode = 1;
        }
      } finally {
        bar.stop();
        stop.dispose();
      }
    });
}

function summarise(counts: Record<string, number | string>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
