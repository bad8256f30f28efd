import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Store } from '../store/db.js';
import type { Config } from '../store/config.js';
import { UserError } from '../store/errors.js';
import type { Logger } from '../store/log.js';
import { finishRun, finishStage, newRunId, startRun, startStage } from '../store/runs.js';
import type { Stage, StageContext, StageCounts } from '../store/stage.js';
import { sql } from '../store/sql.js';
import type { FailedRunRecord } from './lock.js';
import type { Pipeline, ProgressReporter } from './types.js';

export interface RunOptions {
  asOf: string;
  config: Config;
  log: Logger;
  outDir: string;
  /** Given the run's logger, the callback the stages report progress to (default: none). */
  progress?: ProgressReporter;
  signal?: AbortSignal;
  /** Extra attempts for a stage that failed with a transient error (default 2). */
  retries?: number;
  /** First backoff in ms, doubled each attempt (default 1000). */
  backoffMs?: number;
  /** The run's id (default: a new one). */
  runId?: string;
  /** Called when a stage starts and ends, for the CLI's running commentary. */
  onStage?: (event: { stage: string; phase: 'start' | 'end'; counts?: StageCounts; ms?: number }) => void;
}

export interface RunResult {
  runId: string;
  pipeline: string;
  asOf: string;
  status: 'ok' | 'failed' | 'interrupted';
  counts: Record<string, StageCounts>;
  ms: number;
  /** Peak resident memory of this process so far, MB (the run's upper bound when it is the only work). */
  peakRssMb: number;
  error?: string;
  /** False when the store could not record the run (its `runs` row is missing or says 'running'). */
  recorded?: boolean;
  /** The failed stage's own error, for a caller that rethrows it (not part of the run's JSON). */
  cause?: unknown;
}

/** Bad input or configuration will fail the same way again; anything else (I/O, a busy file) may not. */
export function isTransient(err: unknown): boolean {
  return !(err instanceof UserError) && !(err instanceof StageAborted);
}

/** Thrown by a stage that noticed ctx.signal mid-way; its transaction is rolled back. */
export class StageAborted extends Error {
  constructor(stage: string) {
    super(`步骤 ${stage} 按要求停止`);
    this.name = 'StageAborted';
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * Failed runs kept beside the store because it could not record them (lock.ts recordFailure) go into `runs` now,
 * so `health` and `runs` show them; each file is removed once its run is in the table.
 */
export async function recordFailedRuns(store: Store): Promise<number> {
  if (store.path === ':memory:') return 0;
  const dir = dirname(store.path);
  const prefix = basename(store.path) + '.failed-run-';
  let moved = 0;
  for (const name of readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.json'))) {
    const file = join(dir, name);
    let rec: FailedRunRecord;
    try {
      rec = JSON.parse(readFileSync(file, 'utf8')) as FailedRunRecord;
    } catch {
      continue; // half-written: leave it for a person to read
    }
    await store.script(sql('pipeline/record_failed_run.sql'), { ...rec });
    rmSync(file, { force: true });
    moved++;
  }
  return moved;
}

/**
 * Runs left 'running' by a process that no longer exists on this host (killed, crashed, machine restarted)
 * are marked interrupted, so history and `weisu health` tell the truth.
 */
export async function reapStaleRuns(store: Store): Promise<number> {
  await recordFailedRuns(store);
  const rows = await store.all<{ run_id: string; pid: number | null; host: string | null }>(
    "SELECT run_id, pid, host FROM runs WHERE status = 'running'",
  );
  let reaped = 0;
  for (const r of rows) {
    if (r.host !== hostname() || r.pid === null) continue;
    let alive = true;
    try {
      process.kill(r.pid, 0);
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (alive || r.pid === process.pid) continue;
    await store.script(sql('pipeline/reap_run.sql'), { id: r.run_id });
    reaped++;
  }
  return reaped;
}

/**
 * The run's own bookkeeping (runs, run_stages). When the store can no longer write (a full disk), the failure of
 * a bookkeeping write must not hide the stage's error: it is logged, and the run reports itself unrecorded so the
 * caller keeps it elsewhere (job.ts: the lock file).
 */
class Book {
  failed: Error | null = null;
  constructor(
    private readonly log: Logger,
    readonly runId: string,
  ) {}
  /** Returns the write's own error, if any (null when it was recorded). */
  async write(what: string, fn: () => Promise<void>): Promise<Error | null> {
    try {
      await fn();
      return null;
    } catch (err) {
      this.failed ??= err as Error;
      this.log.error({ event: 'run_record_failed', what, err: (err as Error).message }, `could not record ${what}`);
      return err as Error;
    }
  }
}

/**
 * A stage whose first failing statement was caught inside it (a full disk mid-load) reports only DuckDB's
 * "Current transaction is aborted", which names no cause. When the run's own write right after it fails too, that
 * error (e.g. "No space left on device") is the cause the one-line summary must name, so it is appended.
 */
export function withStoreError(message: string, unwritten: Error | null): string {
  if (!unwritten || message.includes(unwritten.message)) return message;
  return `${message}（数据库也无法写入：${unwritten.message}）`;
}

type StageOutcome = { ok: true } | { ok: false; status: 'failed' | 'interrupted'; error: string; cause: unknown };

/** One stage in its own transaction, retried with backoff on a transient error. */
async function runStage(
  store: Store,
  stage: Stage,
  ctx: StageContext,
  opts: RunOptions,
  book: Book,
  counts: Record<string, StageCounts>,
): Promise<StageOutcome> {
  const retries = opts.retries ?? 2;
  const backoff = opts.backoffMs ?? 1000;
  opts.onStage?.({ stage: stage.name, phase: 'start' });
  for (let attempt = 1; ; attempt++) {
    const s0 = Date.now();
    await book.write('stage start', () => startStage(store, book.runId, stage.name, attempt));
    try {
      const c = await store.tx(() => stage.run(ctx));
      counts[stage.name] = c;
      const ms = Date.now() - s0;
      // the process's peak so far: the first stage whose figure jumps is the one that needs the memory
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      await book.write('stage end', () =>
        finishStage(store, book.runId, stage.name, 'ok', { ...c, ms, peak_rss_mb: peakRssMb }),
      );
      ctx.log.info({ event: 'stage_end', counts: c, ms, attempt, peak_rss_mb: peakRssMb }, `stage ${stage.name} done`);
      opts.onStage?.({ stage: stage.name, phase: 'end', counts: c, ms });
      return { ok: true };
    } catch (err) {
      const aborted = err instanceof StageAborted || Boolean(opts.signal?.aborted);
      const status = aborted ? 'interrupted' : 'failed';
      const own = (err as Error).message;
      const unwritten = await book.write('stage end', () =>
        finishStage(store, book.runId, stage.name, status, {}, own),
      );
      const message = withStoreError(own, unwritten);
      if (aborted) return { ok: false, status, error: `${stage.name}: ${message}`, cause: err };
      if (isTransient(err) && attempt <= retries && !book.failed) {
        const wait = backoff * 2 ** (attempt - 1);
        ctx.log.warn(
          { event: 'stage_retry', attempt, wait_ms: wait, err: message },
          `stage ${stage.name} failed, retrying`,
        );
        await sleep(wait, opts.signal);
        continue;
      }
      ctx.log.error({ event: 'stage_failed', attempt, err }, `stage ${stage.name} failed`);
      return { ok: false, status, error: `${stage.name}: ${message}`, cause: err };
    }
  }
}

/**
 * Run a pipeline's stages in order. Each stage runs inside one transaction, so a crash or kill mid-stage leaves
 * the store as it was before that stage; the stages before it stay committed and, being idempotent, a re-run
 * simply redoes the rest. A stage that fails with a transient error is retried with exponential backoff. When
 * the signal fires (SIGTERM), the current stage finishes (or, if it checks the signal, rolls back) and the run
 * ends 'interrupted'. A run the store could not record says so (recorded: false) instead of throwing.
 */
export async function runPipeline(store: Store, pipeline: Pipeline, opts: RunOptions): Promise<RunResult> {
  const runId = opts.runId ?? newRunId(pipeline.name, opts.asOf);
  const log = opts.log.child({ run_id: runId, pipeline: pipeline.name, as_of: opts.asOf });
  const t0 = Date.now();
  await reapStaleRuns(store);
  await startRun(store, runId, pipeline.name, opts.asOf);
  log.info(
    { event: 'run_start', stages: pipeline.stages.map((s) => s.name) },
    `run ${pipeline.name} as of ${opts.asOf}`,
  );
  const book = new Book(log, runId);
  const progress = opts.progress?.(log) ?? (() => {});
  const counts: Record<string, StageCounts> = {};
  const end = async (status: RunResult['status'], error?: string, cause?: unknown): Promise<RunResult> => {
    await book.write('run end', () => finishRun(store, runId, status, counts, error));
    const ms = Date.now() - t0;
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    if (status === 'ok') log.info({ event: 'run_end', ms, peak_rss_mb: peakRssMb }, `run ${pipeline.name} ok`);
    else log.error({ event: 'run_end', status, ms, peak_rss_mb: peakRssMb, error }, `run ${pipeline.name} ${status}`);
    const recorded = book.failed === null;
    const base = { runId, pipeline: pipeline.name, asOf: opts.asOf, status, counts, ms, peakRssMb, recorded };
    return { ...base, ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
  };
  for (const stage of pipeline.stages) {
    if (opts.signal?.aborted) return end('interrupted', `在步骤 ${stage.name} 之前停止`);
    const ctx: StageContext = {
      store,
      asOf: opts.asOf,
      runId,
      log: log.child({ stage: stage.name }),
      config: opts.config,
      outDir: opts.outDir,
      progress,
      signal: opts.signal,
    };
    const outcome = await runStage(store, stage, ctx, opts, book, counts);
    if (!outcome.ok) return end(outcome.status, outcome.error, outcome.cause);
  }
  // a stage that succeeded while its bookkeeping could not be written still leaves the run unrecorded
  return end(book.failed ? 'failed' : 'ok', book.failed ? `无法记录本次运行：${book.failed.message}` : undefined);
}
