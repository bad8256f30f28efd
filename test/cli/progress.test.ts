import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createProgress, createRunProgress } from '../../src/cli/progress.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import { tempStore, testConfig } from '../helpers.js';

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

describe('progress events of a run', () => {
  it('carry the run id, pipeline and as-of like every other event of the run', async () => {
    // measured: {"cmd":"run","event":"progress","step":"base.csv",…} had no run_id, pipeline or as_of
    const lines: string[] = [];
    const cmdLog = pino({ level: 'info', base: { cmd: 'run' } }, { write: (s: string) => void lines.push(s) });
    const bar = createRunProgress(true, cmdLog, { tty: false, everyMs: 0 });
    const pipeline: Pipeline = {
      name: 'nightly',
      description: '',
      cron: '30 2 * * *',
      stages: [
        {
          name: 'ingest',
          description: '',
          run(ctx) {
            ctx.progress(0, 2, 'base.csv');
            ctx.progress(2, 2, 'base.csv');
            return Promise.resolve({});
          },
        },
      ],
    };
    const { store, cleanup } = await tempStore();
    try {
      const result = await runPipeline(store, pipeline, {
        asOf: '2026-12-01',
        config: testConfig(),
        log: bar.log,
        outDir: '/tmp',
        progress: bar.progress,
      });
      const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const progress = events.filter((e) => e.event === 'progress');
      expect(progress).toHaveLength(2);
      for (const e of events) {
        expect(e, String(e.event)).toMatchObject({ run_id: result.runId, pipeline: 'nightly', as_of: '2026-12-01' });
      }
    } finally {
      store.close();
      cleanup();
    }
  });
});
