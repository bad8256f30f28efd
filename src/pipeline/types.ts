import type { Stage } from '../store/stage.js';

/** A scheduled job: an ordered list of stages and when it runs (cron, Asia/Shanghai). */
export interface Pipeline {
  readonly name: 'nightly' | 'weekly' | 'monthly' | string;
  readonly description: string;
  /** Default cron expression; config `schedule.<name>` overrides it. */
  readonly cron: string;
  readonly stages: readonly Stage[];
}
