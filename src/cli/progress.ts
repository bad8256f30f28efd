import cliProgress from 'cli-progress';
import type { Logger } from '../store/log.js';
import type { ProgressReporter } from '../pipeline/types.js';

export type ProgressFn = (done: number, total: number, label?: string) => void;

/**
 * A command's progress output: `progress` for work the command does itself (its events carry the command's logger),
 * `forRun` the reporter a pipeline run is given (runner.ts hands it the run's logger, so the run's events carry
 * run_id, pipeline and as_of), `stop` to clear the bar.
 */
export interface ProgressOutput {
  progress: ProgressFn;
  forRun: ProgressReporter;
  stop: () => void;
}

/** How often a progress event is logged when there is no terminal to draw a bar on. */
export const PROGRESS_EVERY_MS = 5_000;

/**
 * Long work shows that it is alive: a bar on stderr when stderr is a terminal and the output is for a person;
 * otherwise (piped, cron, --json) a pino `progress` event at the first report of a step and then at most every
 * few seconds, so a silent minute in a log means a stuck run, not a slow one. On a terminal every run shares the
 * one bar; without one each run logs to its own logger.
 */
export function createProgress(
  enabled: boolean,
  log?: Pick<Logger, 'info'>,
  opts: { tty?: boolean; everyMs?: number; now?: () => number } = {},
): ProgressOutput {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  const everyMs = opts.everyMs ?? PROGRESS_EVERY_MS;
  const now = opts.now ?? Date.now;
  if (enabled && tty) {
    const bar = progressBar();
    return { ...bar, forRun: () => bar.progress };
  }
  const events = log ? progressEvents(log, everyMs, now) : { progress: () => {}, stop: () => {} };
  return { ...events, forRun: (runLog) => progressEvents(runLog, everyMs, now).progress };
}

function progressEvents(
  log: Pick<Logger, 'info'>,
  everyMs: number,
  now: () => number,
): { progress: ProgressFn; stop: () => void } {
  let lastLabel: string | undefined;
  let lastAt = -Infinity;
  return {
    progress(done, total, label = '') {
      const t = now();
      if (label === lastLabel && t - lastAt < everyMs && done < total) return;
      lastLabel = label;
      lastAt = t;
      const pct = total > 0 ? Math.round((1000 * done) / total) / 10 : null;
      log.info({ event: 'progress', step: label, done, total, pct }, `${label} ${done}/${total}`);
    },
    stop() {},
  };
}

function progressBar(): { progress: ProgressFn; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {label} [{bar}] {percentage}% {value}/{total}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let lastLabel = '';
  return {
    progress(done, total, label = '') {
      if (!started || label !== lastLabel) {
        if (started) bar.stop();
        bar.start(Math.max(total, 1), done, { label });
        started = true;
        lastLabel = label;
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { label });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
