import cliProgress from 'cli-progress';
import type { Logger } from '../store/log.js';

export type ProgressFn = (done: number, total: number, label?: string) => void;

/** How often a progress event is logged when there is no terminal to draw a bar on. */
export const PROGRESS_EVERY_MS = 5_000;

/**
 * Long work shows that it is alive: a bar on stderr when stderr is a terminal and the output is for a person;
 * otherwise (piped, cron, --json) a pino `progress` event at the first report of a step and then at most every
 * few seconds, so a silent minute in a log means a stuck run, not a slow one. Returns the callback stages use
 * and a stop function.
 */
export function createProgress(
  enabled: boolean,
  log?: Pick<Logger, 'info'>,
  opts: { tty?: boolean; everyMs?: number; now?: () => number } = {},
): { progress: ProgressFn; stop: () => void } {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  if (enabled && tty) return progressBar();
  if (!log) return { progress: () => {}, stop: () => {} };
  return progressEvents(log, opts.everyMs ?? PROGRESS_EVERY_MS, opts.now ?? Date.now);
}

/**
 * Progress for a command that runs pipelines (run): a `progress` event belongs to the run it reports on, so it is
 * logged with the run's bindings (run_id, pipeline, as_of) like every other event of that run, not with the
 * command's. The runner makes the run's logger as a child of the one given to it; `log` here is that parent, and
 * the newest child that names a run becomes the logger progress events go to.
 */
export function createRunProgress(
  enabled: boolean,
  log: Logger,
  opts: { tty?: boolean; everyMs?: number; now?: () => number } = {},
): { progress: ProgressFn; stop: () => void; log: Logger } {
  let runLog: Pick<Logger, 'info'> = log;
  const parent = log.child({});
  parent.onChild = (child: Logger) => {
    const b = child.bindings();
    if (b.run_id !== undefined && b.stage === undefined) runLog = child;
  };
  const bar = createProgress(enabled, { info: (obj: object, msg?: string) => runLog.info(obj, msg) }, opts);
  return { ...bar, log: parent };
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
