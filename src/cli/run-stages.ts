import { derivationStages } from '../pipeline/prepare.js';
import { runPipeline } from '../pipeline/runner.js';
import type { Config } from '../store/config.js';
import type { Stage, StageCounts } from '../store/stage.js';
import type { CliEnv } from './env.js';

/**
 * Run stages for an analytical command (`weisu alerts`, `hotspots`, `forecast`, …) the one way stages run: through
 * the runner, each in its own transaction with retries, recorded in `runs` under the command's name. The per-order
 * derivations (tag, place, aggregate) come first: they are incremental, so they cost nothing when the nightly run
 * is current and make a command on a freshly loaded store correct. A failed stage fails the command with the
 * stage's own error (a UserError still exits 2).
 */
export async function runForCommand(
  env: CliEnv,
  command: string,
  asOf: string,
  stages: readonly Stage[],
  opts: { config?: Config } = {},
): Promise<Record<string, StageCounts>> {
  const pipeline = {
    name: command,
    description: `weisu ${command}`,
    cron: '',
    stages: [...derivationStages, ...stages],
  };
  const r = await runPipeline(env.store, pipeline, {
    asOf,
    config: opts.config ?? env.config,
    log: env.log,
    outDir: env.outDir,
    progress: env.progressFor,
  });
  if (r.status !== 'ok') throw r.cause ?? new Error(r.error ?? `${command} ${r.status}`);
  return r.counts;
}

/**
 * The stage, unless its output for this as-of is already stored: a command computes forecasts or hotspots on demand
 * and otherwise reads what the scheduled run wrote.
 */
export async function unlessStored(
  env: CliEnv,
  table: 'forecasts' | 'hotspots',
  asOf: string,
  stage: Stage,
): Promise<Stage[]> {
  const n = await env.store.value<number>(`SELECT count(*) FROM ${table} WHERE as_of = $as_of::DATE`, { as_of: asOf });
  return (n ?? 0) > 0 ? [] : [stage];
}
