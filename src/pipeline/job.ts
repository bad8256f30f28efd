import { hostname } from 'node:os';
import { Store } from '../store/db.js';
import { newRunId } from '../store/runs.js';
import { cityTimeZone, type Config } from '../store/config.js';
import type { Logger } from '../store/log.js';
import { addDays, todayLocal } from '../store/dates.js';
import { UserError } from '../store/errors.js';
import { sql } from '../store/sql.js';
import { acquireRunLock } from './lock.js';
import { runPipeline, type RunOptions, type RunResult } from './runner.js';
import { dueDates } from './catchup.js';
import type { Pipeline, ProgressReporter } from './types.js';

export interface JobOptions {
  dbPath: string;
  config: Config;
  log: Logger;
  outDir: string;
  progress?: ProgressReporter;
  signal?: AbortSignal;
  retries?: number;
  backoffMs?: number;
  onStage?: RunOptions['onStage'];
  /** How long to retry opening a store another process (serve) holds, in ms (default 30 s). */
  openWaitMs?: number;
}

const isLockError = (err: unknown) => /in use by another process/.test((err as Error).message);

/**
 * Open the store for a run. `weisu serve` opens the file for a moment per burst of requests (and leaves it free for
 * 150 ms every 2 s under steady load), so a lock error is retried every 100 ms for up to waitMs before it counts.
 */
async function openForRun(dbPath: string, waitMs: number): Promise<Store> {
  const t0 = Date.now();
  for (let delay = 50; ; delay = Math.min(delay * 2, 100)) {
    try {
      return await Store.open(dbPath);
    } catch (err) {
      if (!isLockError(err) || Date.now() - t0 >= waitMs) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * One run as a scheduled job does it: take the store's run lock, open the store, run, close, release. The store
 * is open only while a run needs it, so ingest by hand, `weisu serve` and the scheduler can share one file. A
 * failed run the store cannot record (a full disk: the open, or the run's own bookkeeping, fails) is kept beside
 * the store through the lock file and moved into `runs` by the next command that reads them.
 */
export async function runJob(pipeline: Pipeline, asOf: string, opts: JobOptions): Promise<RunResult> {
  const lock = acquireRunLock(opts.dbPath, { pipeline: pipeline.name, asOf });
  const runId = newRunId(pipeline.name, asOf);
  const started = new Date().toISOString();
  const keep = (error: string) =>
    lock.recordFailure({
      run_id: runId,
      pipeline: pipeline.name,
      as_of: asOf,
      started_at: started,
      ended_at: new Date().toISOString(),
      pid: process.pid,
      host: hostname(),
      error,
    });
  try {
    let store: Store;
    try {
      store = await openForRun(opts.dbPath, opts.openWaitMs ?? 30_000);
    } catch (err) {
      if (!isLockError(err)) keep(`打开数据库时出错：${(err as Error).message}`);
      throw err;
    }
    try {
      const result = await runPipeline(store, pipeline, { ...opts, asOf, runId });
      if (result.recorded === false) keep(result.error ?? '本次运行无法记入数据库');
      return result;
    } catch (err) {
      keep((err as Error).message);
      throw err;
    } finally {
      try {
        store.close();
      } catch (err) {
        opts.log.warn({ event: 'store_close_failed', err: (err as Error).message }, 'could not close the store');
      }
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
  if (typeof c !== 'string') throw new UserError(`配置 schedule.${pipeline.name} 应为 cron 表达式字符串`);
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
 * never ran gets only its latest due date. Runs with an as-of after today do not count as the last one.
 */
export async function missedRuns(
  store: Store,
  pipelines: readonly Pipeline[],
  config: Config,
  opts: { now?: Date; maxDays?: number } = {},
): Promise<DueRun[]> {
  const now = opts.now ?? new Date();
  const zone = cityTimeZone(config);
  const today = todayLocal(now, zone);
  const maxDays = opts.maxDays ?? 14;
  const out: DueRun[] = [];
  for (const p of pipelines) {
    const last = await store.value<string>(sql('pipeline/last_ok_as_of.sql'), { p: p.name, today });
    const floor = addDays(today, -maxDays);
    const after = last && last > floor ? last : floor;
    const due = dueDates(cronOf(p, config), after, today, now, zone);
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
