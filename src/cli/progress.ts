import cliProgress from 'cli-progress';

export type ProgressFn = (done: number, total: number, label?: string) => void;

/**
 * A progress bar on stderr when it is a terminal and the output is for a person; otherwise nothing (logs and
 * --json must stay clean). Returns the callback stages use and a stop function.
 */
export function createProgress(enabled: boolean): { progress: ProgressFn; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { progress: () => {}, stop: () => {} };
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
