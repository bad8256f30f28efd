import type { Logger } from '../store/log.js';
import type { Stage, StageContext } from '../store/stage.js';

/** A scheduled job: an ordered list of stages and when it runs (cron, in the city's zone: config city.timezone). */
export interface Pipeline {
  readonly name: 'nightly' | 'weekly' | 'monthly' | string;
  readonly description: string;
  /** Default cron expression; config `schedule.<name>` overrides it. */
  readonly cron: string;
  readonly stages: readonly Stage[];
}

/**
 * Where a run's progress goes, injected by the caller: the runner hands it the run's own logger (run_id, pipeline,
 * as_of) when the run starts and gives the callback it returns to every stage, so a progress event belongs to its
 * run like every other event of it, and a test swaps in its own reporter.
 */
export type ProgressReporter = (runLog: Logger) => StageContext['progress'];
