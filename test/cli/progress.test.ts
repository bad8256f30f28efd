import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

describe('progress without a terminal', () => {
  it('logs a progress event when a step starts, then at most every few seconds, and when it ends', () => {
    const events: Record<string, unknown>[] = [];
    const log = { info: (obj: object) => void events.push(obj as Record<string, unknown>) };
    let t = 0;
    const { progress } = createProgress(true, log as never, { tty: false, everyMs: 5_000, now: () => t });
    progress(0, 100, 'tag'); // first report of the step
    t = 1_000;
    progress(10, 100, 'tag'); // too soon
    t = 5_500;
    progress(50, 100, 'tag'); // due
    t = 6_000;
    progress(100, 100, 'tag'); // the end is always told
    progress(0, 3, 'place'); // a new step
    expect(events.map((e) => [e.event, e.step, e.done, e.pct])).toEqual([
      ['progress', 'tag', 0, 0],
      ['progress', 'tag', 50, 50],
      ['progress', 'tag', 100, 100],
      ['progress', 'place', 0, 0],
    ]);
  });

  it('draws nothing and logs nothing without a logger', () => {
    const { progress, stop } = createProgress(false, undefined, { tty: false });
    expect(() => {
      progress(1, 2, 'x');
      stop();
    }).not.toThrow();
  });
});
