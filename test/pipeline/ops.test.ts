import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, LockHeldError } from '../../src/pipeline/lock.js';
import { dueDates } from '../../src/pipeline/catchup.js';
import { missedRuns, runJob } from '../../src/pipeline/job.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { Scheduler } from '../../src/pipeline/scheduler.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import { Store } from '../../src/store/db.js';
import { UserError } from '../../src/store/errors.js';
import { createLogger } from '../../src/store/log.js';
import { packageRoot } from '../../src/store/paths.js';
import type { Stage } from '../../src/store/stage.js';
import { runCli, tempDir, testConfig } from '../helpers.js';
import { todayLocal } from '../../src/store/dates.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function dbInTemp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'ops.duckdb');
}

function startSlowJob(
  dbPath: string,
  asOf: string,
  waitMs: number,
): { child: ChildProcess; written: Promise<void>; done: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'test/pipeline/fixtures/slow-job.ts'), dbPath, asOf, String(waitMs)],
    {
      cwd: packageRoot,
      env: { ...process.env, WEISU_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  let onWritten: () => void = () => {};
  const written = new Promise<void>((r) => (onWritten = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('WRITTEN')) onWritten();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<string>((resolve) => child.on('exit', () => resolve(out + err)));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, written, done };
}

const recordStage = (name: string, calls: string[]): Stage => ({
  name,
  description: name,
  async run({ asOf }) {
    calls.push(`${name}@${asOf}`);
    return { ok: 1 };
  },
});

/** A nightly pipeline at 02:30 whose one stage records its as-of as 'n@<as-of>' in calls. */
const recordingNightly = (calls: string[]): Pipeline => ({
  name: 'nightly',
  description: '',
  cron: '30 2 * * *',
  stages: [recordStage('n', calls)],
});

describe('run lock', () => {
  it('keeps a second process out while a run holds the store, and names the holder', async () => {
    const db = dbInTemp();
    (await Store.open(db)).close();
    const job = startSlowJob(db, '2026-01-05', 4000);
    await job.written;
    expect(() => acquireRunLock(db, { pipeline: 'nightly', asOf: '2026-01-05' })).toThrow(LockHeldError);
    try {
      acquireRunLock(db, { pipeline: 'nightly', asOf: '2026-01-05' });
    } catch (e) {
      expect((e as Error).message).toMatch(/slow（截至 2026-01-05，进程 \d+/);
    }
    job.child.kill('SIGTERM');
    await job.done;
  });

  it('takes over a lock left by a process that died', async () => {
    const db = dbInTemp();
    (await Store.open(db)).close();
    const job = startSlowJob(db, '2026-01-06', 60_000);
    await job.written;
    job.child.kill('SIGKILL');
    await job.done;
    expect(existsSync(db + '.lock')).toBe(true); // the dead process could not clean up
    const lock = acquireRunLock(db, { pipeline: 'nightly', asOf: '2026-01-06' });
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(db + '.lock')).toBe(false);
  });
});

describe('kill during a stage', () => {
  it('leaves the store as before the stage; a re-run completes and the dead run shows as interrupted', async () => {
    const db = dbInTemp();
    (await Store.open(db)).close();
    const job = startSlowJob(db, '2026-02-01', 60_000);
    await job.written; // the stage has inserted its row inside its transaction
    job.child.kill('SIGKILL');
    await job.done;

    const store = await Store.open(db);
    cleanups.push(() => store.close());
    expect(await store.value("SELECT count(*) FROM settings WHERE key LIKE '%2026-02-01'")).toBe(0);
    expect(await store.value("SELECT status FROM runs WHERE as_of = '2026-02-01'")).toBe('running');
    store.close();
    cleanups.pop();

    const again = startSlowJob(db, '2026-02-01', 10);
    const out = await again.done;
    expect(out).toMatch(/"status":"ok"/);
    const after = await Store.open(db);
    cleanups.push(() => after.close());
    expect(await after.all('SELECT key FROM settings ORDER BY key')).toEqual([
      { key: 'done-2026-02-01' },
      { key: 'written-2026-02-01' },
    ]);
    // the killed run was reaped by the re-run
    expect(await after.all("SELECT status FROM runs WHERE as_of = '2026-02-01' ORDER BY started_at")).toEqual([
      { status: 'interrupted' },
      { status: 'ok' },
    ]);
  });
});

describe('SIGTERM', () => {
  it('lets the current stage finish, then stops the run as interrupted', async () => {
    const db = dbInTemp();
    (await Store.open(db)).close();
    const job = startSlowJob(db, '2026-02-02', 1500);
    await job.written;
    job.child.kill('SIGTERM');
    const out = await job.done;
    expect(out).toMatch(/"status":"interrupted"/);
    const store = await Store.open(db);
    cleanups.push(() => store.close());
    // the stage under way when the signal came was completed and committed; the next one never started
    expect(await store.all('SELECT key FROM settings ORDER BY key')).toEqual([{ key: 'written-2026-02-02' }]);
    expect(await store.all('SELECT stage, status FROM run_stages ORDER BY started_at')).toEqual([
      { stage: 'write', status: 'ok' },
    ]);
    expect(await store.value('SELECT status FROM runs')).toBe('interrupted');
    expect(existsSync(db + '.lock')).toBe(false);
  });
});

describe('health', () => {
  it('fails when a pipeline never ran or its last run failed, passes when every due run is done', async () => {
    const db = dbInTemp();
    const store = await Store.open(db);
    store.close();
    const never = runCli(['--db', db, '--json', 'health']);
    expect(never.code).toBe(1);
    expect(JSON.parse(never.stdout).checks.map((c: { problem: string }) => c.problem)).toEqual([
      '从未运行',
      '从未运行',
      '从未运行',
    ]);

    const today = todayLocal();
    const s2 = await Store.open(db);
    for (const p of ['nightly', 'weekly', 'monthly']) {
      await s2.exec(
        "INSERT INTO runs (run_id, pipeline, as_of, started_at, ended_at, status) VALUES ($id, $p, $d::DATE, current_localtimestamp() - INTERVAL 1 HOUR, current_localtimestamp(), 'ok')",
        { id: p + '-ok', p, d: today },
      );
    }
    s2.close();
    const ok = runCli(['--db', db, '--json', 'health']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);

    const s3 = await Store.open(db);
    await s3.exec(
      "INSERT INTO runs (run_id, pipeline, as_of, started_at, ended_at, status, error) VALUES ('n-bad', 'nightly', $d::DATE, current_localtimestamp(), current_localtimestamp(), 'failed', 'tag: disk full')",
      { d: today },
    );
    s3.close();
    const bad = runCli(['--db', db, 'health']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nightly 上次运行失败：tag: disk full/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('health after a run replayed with a future as-of', () => {
  it('still sees the nightly overdue: a successful as-of after today is not the last one', async () => {
    // measured: after `run nightly --as-of 2030-01-01`, health said "ok nightly last ok as of 2030-01-01" however
    // many nights were missed since
    const db = dbInTemp();
    const today = todayLocal();
    const s = await Store.open(db);
    const runs: Array<[string, string, number]> = [
      ['n-old', 'nightly', -10],
      ['n-future', 'nightly', 1200],
      ['w', 'weekly', 0],
      ['m', 'monthly', 0],
    ];
    for (const [id, p, days] of runs)
      await s.exec(
        "INSERT INTO runs (run_id, pipeline, as_of, started_at, ended_at, status) VALUES ($id, $p, $d::DATE + $days::INTEGER, current_localtimestamp() - INTERVAL 1 HOUR, current_localtimestamp(), 'ok')",
        { id, p, d: today, days },
      );
    s.close();
    const r = runCli(['--db', db, '--json', 'health']);
    expect(r.code).toBe(1);
    const nightly = (
      JSON.parse(r.stdout) as { checks: Array<{ pipeline: string; problem: string | null }> }
    ).checks.find((c) => c.pipeline === 'nightly');
    expect(nightly?.problem).toMatch(/^已逾期：/);
  });
});

describe('health of the data', () => {
  it('fails when the runs succeed but the orders stopped arriving days before the nightly as-of', async () => {
    const db = dbInTemp();
    const today = todayLocal();
    const s = await Store.open(db);
    for (const p of ['nightly', 'weekly', 'monthly']) {
      await s.exec(
        "INSERT INTO runs (run_id, pipeline, as_of, started_at, ended_at, status) VALUES ($id, $p, $d::DATE, current_localtimestamp() - INTERVAL 1 HOUR, current_localtimestamp(), 'ok')",
        { id: p + '-ok', p, d: today },
      );
    }
    // yesterday's orders are there: healthy
    await s.exec(
      "INSERT INTO daily_counts VALUES ($d::DATE - 1, '城市管理', '城市管理/市容环境', '东区', '甲街道', 40, 0, 0, 0, 0)",
      { d: today },
    );
    s.close();
    const ok = runCli(['--db', db, '--json', 'health']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout).data).toMatchObject({ ok: true, missing_days: 0 });

    // the last orders five days ago: every run was "ok", the data is not
    const s2 = await Store.open(db);
    await s2.exec('UPDATE daily_counts SET day = $d::DATE - 5', { d: today });
    s2.close();
    const stale = runCli(['--db', db, 'health']);
    expect(stale.code).toBe(1);
    expect(stale.stderr.trim().split('\n')).toHaveLength(1);
    expect(stale.stderr).toMatch(
      /data: \d{4}-\d{2}-\d{2} 之后没有工单：截至 \d{4}-\d{2}-\d{2} 的夜间任务之前有 4 天没有任何工单/,
    );
  });
});

describe('retries and failures', () => {
  it('retries a transiently failing stage, but not bad input', async () => {
    const db = dbInTemp();
    const store = await Store.open(db);
    cleanups.push(() => store.close());
    let tries = 0;
    const flaky: Stage = {
      name: 'flaky',
      description: 'fails once',
      async run({ store }) {
        await store.exec("INSERT INTO settings VALUES ('flaky-' || $t, 'x')", { t: String(++tries) });
        if (tries < 2) throw new Error('disk hiccup');
        return { tries };
      },
    };
    const opts = { asOf: '2026-03-01', config: testConfig(), log: createLogger(), outDir: '/tmp', backoffMs: 5 };
    const ok = await runPipeline(store, { name: 't', description: '', cron: '* * * * *', stages: [flaky] }, opts);
    expect(ok.status).toBe('ok');
    // the failed attempt's write was rolled back
    expect(await store.all('SELECT key FROM settings')).toEqual([{ key: 'flaky-2' }]);
    expect(
      await store.all('SELECT attempts, status FROM run_stages WHERE run_id = $r ORDER BY attempts', { r: ok.runId }),
    ).toEqual([
      { attempts: 1, status: 'failed' },
      { attempts: 2, status: 'ok' },
    ]);

    let userTries = 0;
    const bad: Stage = {
      name: 'bad',
      description: '',
      run: async () => {
        userTries++;
        throw new UserError('mapping names absent column x');
      },
    };
    const failed = await runPipeline(
      store,
      { name: 't', description: '', cron: '* * * * *', stages: [bad, flaky] },
      opts,
    );
    expect(failed.status).toBe('failed');
    expect(userTries).toBe(1);
    expect(failed.error).toMatch(/bad: mapping names absent column/);
  });

  it('stops between stages when the signal fires', async () => {
    const db = dbInTemp();
    const store = await Store.open(db);
    cleanups.push(() => store.close());
    const ctl = new AbortController();
    const calls: string[] = [];
    const first: Stage = {
      name: 'first',
      description: '',
      run: async () => {
        calls.push('first');
        ctl.abort();
        return {};
      },
    };
    const res = await runPipeline(
      store,
      { name: 't', description: '', cron: '* * * * *', stages: [first, recordStage('second', calls)] },
      {
        asOf: '2026-03-02',
        config: testConfig(),
        log: createLogger(),
        outDir: '/tmp',
        signal: ctl.signal,
      },
    );
    expect(res.status).toBe('interrupted');
    expect(calls).toEqual(['first']);
  });
});

describe('catch-up', () => {
  it('lists due dates of a cron in local time', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(dueDates('30 2 * * *', '2026-11-20', '2026-11-24', now)).toEqual([
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
    expect(dueDates('0 4 * * 1', '2026-11-01', '2026-11-24', now)).toEqual([
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ]);
    expect(dueDates('0 5 1 * *', '2026-08-15', '2026-11-24', now)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    // 02:30 Shanghai on the 24th is 18:30 UTC on the 23rd: not yet due at 18:00 UTC
    expect(dueDates('30 2 * * *', '2026-11-22', '2026-11-24', new Date('2026-11-23T18:00:00Z'))).toEqual([
      '2026-11-23',
    ]);
  });

  it('replays the runs missed during several days of downtime, oldest first, nightly before weekly', async () => {
    const db = dbInTemp();
    const calls: string[] = [];
    const nightly = recordingNightly(calls);
    const weekly: Pipeline = { name: 'weekly', description: '', cron: '0 4 * * 1', stages: [recordStage('w', calls)] };
    const config = testConfig();
    const log = createLogger();
    // last successful runs: nightly as of Thu 2026-11-19, weekly as of Mon 2026-11-16
    await runJob(nightly, '2026-11-19', { dbPath: db, config, log, outDir: '/tmp' });
    await runJob(weekly, '2026-11-16', { dbPath: db, config, log, outDir: '/tmp' });
    calls.length = 0;
    const now = new Date('2026-11-24T01:00:00Z'); // 09:00 in Shanghai on Tue 2026-11-24
    const store = await Store.open(db);
    const due = await missedRuns(store, [nightly, weekly], config, { now });
    store.close();
    expect(due.map((d) => `${d.pipeline.name}@${d.asOf}`)).toEqual([
      'nightly@2026-11-20',
      'nightly@2026-11-21',
      'nightly@2026-11-22',
      'nightly@2026-11-23',
      'weekly@2026-11-23',
      'nightly@2026-11-24',
    ]);
    const results: string[] = [];
    const scheduler = new Scheduler({
      pipelines: [nightly, weekly],
      dbPath: db,
      config,
      log,
      outDir: '/tmp',
      now: () => now,
      onRun: (r) => results.push(`${r.pipeline}@${r.asOf}:${r.status}`),
    });
    expect(await scheduler.catchUp()).toBe(6);
    expect(calls).toEqual([
      'n@2026-11-20',
      'n@2026-11-21',
      'n@2026-11-22',
      'n@2026-11-23',
      'w@2026-11-23',
      'n@2026-11-24',
    ]);
    expect(results.every((r) => r.endsWith(':ok'))).toBe(true);
    // caught up: nothing more is due
    expect(await scheduler.catchUp()).toBe(0);
  });

  it('is not stopped by a run replayed with an as-of in the future', async () => {
    // measured: after one `weisu run nightly --as-of 2030-01-01` on 2026-12-07, `schedule --once` found nothing due
    // (the last successful as-of was 2030-01-01), so a systemd-timer setup would have run nothing until 2030
    const db = dbInTemp();
    const calls: string[] = [];
    const nightly = recordingNightly(calls);
    const config = testConfig();
    const log = createLogger();
    await runJob(nightly, '2026-11-21', { dbPath: db, config, log, outDir: '/tmp' });
    await runJob(nightly, '2030-01-01', { dbPath: db, config, log, outDir: '/tmp' });
    const now = new Date('2026-11-24T01:00:00Z'); // 09:00 in Shanghai on Tue 2026-11-24
    const store = await Store.open(db);
    const due = await missedRuns(store, [nightly], config, { now });
    store.close();
    expect(due.map((d) => d.asOf)).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
  });

  it('stops at the first run that finds the store held by another run; the rest stay due', async () => {
    // measured: `schedule --once` with the store held printed 8 identical "another run holds the store" lines
    const db = dbInTemp();
    const calls: string[] = [];
    const nightly = recordingNightly(calls);
    const config = testConfig();
    await runJob(nightly, '2026-11-19', { dbPath: db, config, log: createLogger(), outDir: '/tmp' });
    calls.length = 0;
    const now = new Date('2026-11-24T01:00:00Z');
    const results: string[] = [];
    const sched = new Scheduler({
      pipelines: [nightly],
      dbPath: db,
      config,
      log: createLogger(),
      outDir: '/tmp',
      now: () => now,
      onRun: (r) => results.push(`${r.asOf}:${r.status}`),
    });
    const lock = acquireRunLock(db, { pipeline: 'monthly', asOf: '2026-11-24' });
    try {
      expect(await sched.catchUp()).toBe(5);
    } finally {
      lock.release();
    }
    expect(results).toEqual(['2026-11-20:failed']);
    expect(calls).toEqual([]);
    // once the store is free, every missed night is still due
    expect(await sched.catchUp()).toBe(5);
    expect(calls).toEqual(['n@2026-11-20', 'n@2026-11-21', 'n@2026-11-22', 'n@2026-11-23', 'n@2026-11-24']);
  });

  it('retries a failed run at the next catch-up', async () => {
    const db = dbInTemp();
    let fail = true;
    const stage: Stage = {
      name: 's',
      description: '',
      run: async () => {
        if (fail) throw new UserError('input missing');
        return {};
      },
    };
    const nightly: Pipeline = { name: 'nightly', description: '', cron: '30 2 * * *', stages: [stage] };
    const config = testConfig();
    const now = new Date('2026-11-24T01:00:00Z');
    const sched = () =>
      new Scheduler({ pipelines: [nightly], dbPath: db, config, log: createLogger(), outDir: '/tmp', now: () => now });
    await runJob({ ...nightly, stages: [] }, '2026-11-22', { dbPath: db, config, log: createLogger(), outDir: '/tmp' });
    expect(await sched().catchUp()).toBe(2); // 23rd and 24th, both fail
    fail = false;
    expect(await sched().catchUp()).toBe(2); // still due, now succeed
    expect(await sched().catchUp()).toBe(0);
  });
});
