import type { Command } from 'commander';
import { pipelines } from '../../../pipelines/index.js';
import { runPipeline } from '../../pipeline/runner.js';
import { parseAsOf } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { withStore } from '../env.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run one scheduled pipeline once: nightly | weekly | monthly')
    .argument('<pipeline>', 'nightly, weekly or monthly')
    .option('--as-of <date>', 'use only orders created before this date (YYYY-MM-DD); default today')
    .action(async (name: string, opts: { asOf?: string }, cmd: Command) => {
      const pipeline = pipelines[name];
      if (!pipeline) throw new UserError(`unknown pipeline '${name}' (nightly, weekly or monthly)`);
      const asOf = parseAsOf(opts.asOf);
      await withStore(cmd, async (env) => {
        const result = await runPipeline(env.store, pipeline, {
          asOf,
          config: env.config,
          log: env.log,
          outDir: env.outDir,
          progress: env.progress,
          onStage: (e) => {
            if (e.phase === 'end') env.say(`  ${e.stage.padEnd(10)} ${((e.ms ?? 0) / 1000).toFixed(1)}s  ${JSON.stringify(e.counts)}`);
          },
        });
        if (env.json) env.emit(result);
        else env.say(`${pipeline.name} as of ${asOf}: ${result.status} in ${(result.ms / 1000).toFixed(1)}s (run ${result.runId})`);
        if (result.status !== 'ok') {
          if (!env.json) process.stderr.write(`weisu: run ${result.runId} ${result.status}: ${result.error ?? ''}\n`);
          process.exitCode = 1;
        }
      });
    });
}
