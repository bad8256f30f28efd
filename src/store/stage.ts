import type { Store } from './db.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';

/** What every stage gets when it runs. */
export interface StageContext {
  store: Store;
  /** YYYY-MM-DD: the stage may use only orders created strictly before this date (CONTRACT §2). */
  asOf: string;
  runId: string;
  log: Logger;
  config: Config;
  /** Where files the stage writes (reports, lists) go. */
  outDir: string;
  /** Report progress on long work (the CLI draws a bar on a terminal; no-op elsewhere). */
  progress: (done: number, total: number, label?: string) => void;
  /** Set when the process is asked to stop (SIGTERM): finish or abandon the current unit of work. */
  signal?: AbortSignal;
}

/** Counts a stage reports for the run record and the CLI summary. */
export type StageCounts = Record<string, number | string>;

/**
 * One step of a pipeline. A stage reads tables and writes tables; it never calls another stage. Running a stage
 * twice for the same as-of must leave the store as running it once (idempotent).
 */
export interface Stage {
  readonly name: string;
  /** One line for `weisu run --help` and the pipeline listing. */
  readonly description: string;
  run(ctx: StageContext): Promise<StageCounts>;
}
