import { Store } from '../store/db.js';
import type { Config } from '../store/config.js';
import type { Logger } from '../store/log.js';
import { addDays, todayLocal } from '../store/dates.js';
import { UserError } from '../store/errors.js';
import type { StageContext } from '../store/stage.js';
import { acquireRunLock } from './lock.js';
import { runPipeline, type RunOptions, type RunResult } from './runner.js';
import { dueDates } from './catchup.js';
import type { Pipeline } from './types.js';

export interface JobOptions {
  dbPath: string;
  config: Config;
  log: Logger;
  outDir: string;
  progress?: StageContext['progress'];
  signal?: AbortSignal;
  retries?: number;
  backoffMs?: number;
  onStage?: RunOptions['onStage'];
}

/**
 * One run as a scheduled job does it: take the store's run lock, open the store, run, close, release. The store
 * is open only while a run needs it, so ingest by hand, `weisu serve` and the scheduler can share one file.
 */
export async function runJob(pipeline: Pipeline, asOf: string, opts: JobOptions): Promise<RunResult> {
  const lock = acquireRunLock(opts.dbPath, { pipeline: pipeline.name, asOf });
  try {
    const store = await Store.open(opts.dbPath);
    try {
      return await runPipeline(store, pipeline, { ...opts, asOf });
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
}

/** The cron expression of a pipeline: config `schedule.<name>` or the pipeline's default. */
export function cronOf(pipeline: Pick<Pipeline, 'name' | 'cron'>, config: Config): string {
  const schedule = (config.raw.schedule ?? {}) as Record<string, unknown>;
  const c = schedule[pipeline.name];
  if (c === undefined) return pipeline.cron;
  if (typeof c !== 'string') throw new UserError(`config schedule.${pipeline.name} must be a cron expression string`);
  return c;
}

export interface DueRun {
  pipeline: Pipeline;
  asOf: string;
}

/**
 * Runs that should have happened but did not (the machine was down, a run failed): for each pipeline, the
 * as-of dates its cron was due on after its last successful run, at most `maxDays` back, oldest first; on the
 * same date nightly comes before weekly before monthly, as their data dependencies require. A pipeline that
 * never ran gets only its latest due date.
 */
export async function missedRuns(
  store: Store,
  pipelines: readonly Pipeline[],
  config: Config,
  opts: { now?: Date; maxDays?: number } = {},
): Promise<DueRun[]> {
  const now = opts.now ?? new Date();
  const today = todayLocal(now);
  const maxDays = opts.maxDays ?? 14;
  const out: DueRun[] = [];
  for (const p of pipelines) {
    const last = await store.value<string>(
      "SELECT max(as_of)::VARCHAR FROM runs WHERE pipeline = $p AND status = 'ok'",
      { p: p.name },
    );
    const floor = addDays(today, -maxDays);
    const after = last && last > floor ? last : floor;
    const due = dueDates(cronOf(p, config), after, today, now);
    const pick = last ? due : due.slice(-1);
    for (const asOf of pick) out.push({ pipeline: p, asOf });
  }
  const order = new Map(pipelines.map((p, i) => [p.name, i]));
  return out.sort((a, b) =>
    a.asOf === b.asOf
      ? (order.get(a.pipeline.name) ?? 0) - (order.get(b.pipeline.name) ?? 0)
      : a.asOf < b.asOf
        ? -1
        : 1,
  );
}
