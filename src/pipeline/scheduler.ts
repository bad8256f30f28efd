import { createTask, type ScheduledTask } from 'node-cron';
import { Store } from '../store/db.js';
import { todayLocal } from '../store/dates.js';
import { cityTimeZone } from '../store/config.js';
import { assertCron } from './catchup.js';
import { cronOf, missedRuns, runJob, type JobOptions } from './job.js';
import { LockHeldError } from './lock.js';
import type { RunResult } from './runner.js';
import type { Pipeline } from './types.js';

export interface SchedulerOptions extends JobOptions {
  pipelines: readonly Pipeline[];
  /** How far back missed runs are caught up (days, default 14). */
  catchUpDays?: number;
  /** Called after every run (for the CLI summary and tests). */
  onRun?: (result: RunResult) => void;
  now?: () => Date;
}

/**
 * The long-running scheduler: catches up missed runs, then fires each pipeline on its cron, in the city's zone
 * (config `city.timezone`, default Asia/Shanghai).
 * Runs go through one queue, so this process never runs two at once; the store's lock file keeps other
 * processes out. On abort (SIGTERM) it stops the cron tasks, lets the current stage finish or roll back, and
 * resolves.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private queue: Promise<void> = Promise.resolve();
  private catchingUp = false;
  private stopped = false;
  /** Set when a catch-up run found the store held by another run: the rest of that catch-up waits for next time. */
  private held: string | null = null;

  constructor(private readonly opts: SchedulerOptions) {
    for (const p of opts.pipelines) assertCron(cronOf(p, opts.config), `配置 schedule.${p.name}`);
    cityTimeZone(opts.config); // an unknown zone name is refused before anything runs
  }

  /** Queue one run; runs execute strictly one after another. */
  enqueue(pipeline: Pipeline, asOf: string): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.stopped || this.opts.signal?.aborted) return;
      if (this.held) {
        // every later run would fail on the same lock: one line in the cron mail, not one per missed day
        this.opts.log.info(
          { event: 'run_deferred', pipeline: pipeline.name, as_of: asOf },
          'store held by another run: left for the next catch-up',
        );
        return;
      }
      try {
        const result = await runJob(pipeline, asOf, this.opts);
        this.opts.onRun?.(result);
      } catch (err) {
        if (err instanceof LockHeldError && this.catchingUp) this.held = err.message;
        this.opts.log.error(
          { event: 'job_failed', pipeline: pipeline.name, as_of: asOf, err: (err as Error).message },
          'scheduled run could not start',
        );
        this.opts.onRun?.({
          runId: '',
          pipeline: pipeline.name,
          asOf,
          status: 'failed',
          counts: {},
          ms: 0,
          peakRssMb: 0,
          error: (err as Error).message,
        });
      }
    });
    return this.queue;
  }

  /**
   * Replay the runs missed while the scheduler was down, oldest first. When another process holds the store, the
   * first run says so and the rest stay due for the next catch-up.
   */
  async catchUp(): Promise<number> {
    const store = await Store.open(this.opts.dbPath);
    let due;
    try {
      due = await missedRuns(store, this.opts.pipelines, this.opts.config, {
        now: this.opts.now?.(),
        maxDays: this.opts.catchUpDays,
      });
    } finally {
      store.close();
    }
    if (due.length)
      this.opts.log.info(
        { event: 'catch_up', runs: due.map((d) => `${d.pipeline.name}@${d.asOf}`) },
        `catching up ${due.length} missed runs`,
      );
    this.catchingUp = true;
    try {
      for (const d of due) void this.enqueue(d.pipeline, d.asOf);
      await this.queue;
    } finally {
      this.catchingUp = false;
      this.held = null;
    }
    return due.length;
  }

  /** The as-of of a run the cron fires now: today in the city's zone. */
  today(): string {
    return todayLocal(this.opts.now?.() ?? new Date(), cityTimeZone(this.opts.config));
  }

  start(): void {
    const timezone = cityTimeZone(this.opts.config);
    for (const p of this.opts.pipelines) {
      const task = createTask(cronOf(p, this.opts.config), () => this.enqueue(p, this.today()), {
        timezone,
        name: p.name,
        noOverlap: true,
      });
      void task.start();
      this.tasks.push(task);
    }
    this.opts.signal?.addEventListener('abort', () => void this.stop());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.tasks) await t.stop();
    await this.queue;
  }

  /** Resolves when stopped (the signal fired) and the queue has drained. */
  async whenStopped(): Promise<void> {
    if (!this.opts.signal) return;
    if (!this.opts.signal.aborted)
      await new Promise<void>((r) => this.opts.signal!.addEventListener('abort', () => r()));
    await this.stop();
  }
}
