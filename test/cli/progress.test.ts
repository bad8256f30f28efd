import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { join } from 'node:path';
import { createProgress } from '../../src/cli/progress.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import type { Pipeline, ProgressReporter } from '../../src/pipeline/types.js';
import type { Logger } from '../../src/store/log.js';
import { packageRoot } from '../../src/store/paths.js';
import { runCli, tempDir, tempStore, testConfig } from '../helpers.js';

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

/** One stage that reports two steps of progress. */
const reporting: Pipeline = {
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

async function runWith(log: Logger, progress: ProgressReporter | undefined): Promise<string> {
  const { store, cleanup } = await tempStore();
  try {
    const r = await runPipeline(store, reporting, {
      asOf: '2026-12-01',
      config: testConfig(),
      log,
      outDir: '/tmp',
      progress,
    });
    return r.runId;
  } finally {
    store.close();
    cleanup();
  }
}

describe('progress events of a run', () => {
  it('carry the run id, pipeline and as-of like every other event of the run', async () => {
    // measured: {"cmd":"run","event":"progress","step":"base.csv",…} had no run_id, pipeline or as_of
    const lines: string[] = [];
    const cmdLog = pino({ level: 'info', base: { cmd: 'run' } }, { write: (s: string) => void lines.push(s) });
    const runId = await runWith(cmdLog, createProgress(true, cmdLog, { tty: false, everyMs: 0 }).forRun);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => e.event === 'progress')).toHaveLength(2);
    for (const e of events) {
      expect(e, String(e.event)).toMatchObject({ run_id: runId, pipeline: 'nightly', as_of: '2026-12-01' });
    }
  });

  it("the runner hands the reporter the run's own logger, once, and its callback to the stages", async () => {
    const given: Record<string, unknown>[] = [];
    const calls: [number, number, string | undefined][] = [];
    const runId = await runWith(pino({ level: 'silent', base: { cmd: 'run' } }), (runLog) => {
      given.push(runLog.bindings());
      return (done, total, label) => void calls.push([done, total, label]);
    });
    expect(given).toEqual([expect.objectContaining({ cmd: 'run', run_id: runId, pipeline: 'nightly' })]);
    expect(given[0]).not.toHaveProperty('stage');
    expect(calls).toEqual([
      [0, 2, 'base.csv'],
      [2, 2, 'base.csv'],
    ]);
  });

  it('a run without a reporter runs its stages all the same', async () => {
    await expect(runWith(pino({ level: 'silent' }), undefined)).resolves.toMatch(/nightly/);
  });
});

describe('weisu run without a terminal', () => {
  it('logs progress events with the run id on stderr, no bar, and --json stdout stays one document', () => {
    const tmp = tempDir('weisu-progress-');
    try {
      const db = join(tmp.dir, 'city.duckdb');
      expect(runCli(['--db', db, 'ingest', join(packageRoot, 'test/fixtures/ingest/canonical.csv')]).code).toBe(0);
      const r = runCli(['--db', db, '--json', 'run', 'nightly', '--as-of', '2026-01-02'], {
        env: { WEISU_LOG_LEVEL: 'info' },
      });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { runId: string; status: string };
      expect(doc.status).toBe('ok');
      const lines = r.stderr.split('\n').filter((l) => l.trim());
      // every stderr line is a log event: a bar would write '[███░░]' frames here
      const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const progress = events.filter((e) => e.event === 'progress');
      expect(progress.length).toBeGreaterThan(0);
      for (const e of progress) expect(e).toMatchObject({ run_id: doc.runId, pipeline: 'nightly', cmd: 'run' });
    } finally {
      tmp.cleanup();
    }
  });
});
