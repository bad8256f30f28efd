import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../src/pipeline/job.js';
import { reapStaleRuns } from '../../src/pipeline/runner.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import { Store } from '../../src/store/db.js';
import { createLogger } from '../../src/store/log.js';
import { packageRoot } from '../../src/store/paths.js';
import { runCli, tempDir, testConfig } from '../helpers.js';

// A run that fails because the disk is full cannot write its own failure into the store; it must still reach
// `runs` (and so `health`). A second run started meanwhile must name the run holding the store.
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function dbInTemp(): { db: string; dir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return { db: join(t.dir, 'rec.duckdb'), dir: t.dir };
}

const NOSPACE = 'IO Error: Could not write file "rec.duckdb.wal": No space left on device';

/** A stage that fails as a full disk does: its write fails, and so does every write after it on this store. */
const fillsTheDisk: Pipeline = {
  name: 'nightly',
  description: 'test',
  cron: '0 2 * * *',
  stages: [
    {
      name: 'place',
      description: 'disk fills up',
      async run({ store }) {
        const fail = async () => {
          throw new Error(NOSPACE);
        };
        Object.assign(store, { exec: fail, script: fail });
        throw new Error(NOSPACE);
      },
    },
  ],
};

describe('a run the store cannot record', () => {
  it('is kept beside the store and shows in runs as failed once the store can write again', async () => {
    const { db, dir } = dbInTemp();
    (await Store.open(db)).close();
    const opts = { dbPath: db, config: testConfig(), log: createLogger(), outDir: dir, retries: 0 };
    const result = await runJob(fillsTheDisk, '2026-03-01', opts).catch((e: Error) => ({ error: e.message }));
    expect(result.error).toMatch(/No space left/);
    expect(existsSync(db + '.lock')).toBe(false); // the lock is released
    const store = await Store.open(db);
    try {
      await reapStaleRuns(store); // what `health` and `runs` do first
      const runs = await store.all<{ status: string; error: string; pipeline: string }>(
        `SELECT status, error, pipeline FROM runs`,
      );
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'failed', pipeline: 'nightly' });
      expect(runs[0].error).toMatch(/No space left on device/);
      expect(readdirSync(dir).filter((f) => f.includes('failed-run'))).toEqual([]);
    } finally {
      store.close();
    }
  });

  it("names the full disk when the stage reports only DuckDB's 'transaction is aborted'", async () => {
    // measured: a nightly whose ingest filled a tmpfs failed with 'ingest: TransactionContext Error: Current
    // transaction is aborted (please ROLLBACK)' — the cause was caught inside the stage, and the line named none
    const { db, dir } = dbInTemp();
    (await Store.open(db)).close();
    const swallowed: Pipeline = {
      ...fillsTheDisk,
      stages: [
        {
          name: 'ingest',
          description: 'disk fills up, cause swallowed',
          async run({ store }) {
            const fail = async () => {
              throw new Error(NOSPACE);
            };
            Object.assign(store, { exec: fail, script: fail });
            throw new Error('TransactionContext Error: Current transaction is aborted (please ROLLBACK)');
          },
        },
      ],
    };
    const opts = { dbPath: db, config: testConfig(), log: createLogger(), outDir: dir, retries: 0 };
    const result = await runJob(swallowed, '2026-03-01', opts);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^ingest: .*transaction is aborted.*No space left on device/);
    expect(result.error).not.toMatch(/\n/); // one line
  });

  it('is kept even when the store cannot be opened at all', async () => {
    const { db, dir } = dbInTemp();
    writeFileSync(db, 'not a database, as a file cut short by a full disk');
    const opts = { dbPath: db, config: testConfig(), log: createLogger(), outDir: dir, retries: 0, openWaitMs: 0 };
    await expect(runJob(fillsTheDisk, '2026-03-01', opts)).rejects.toThrow();
    const kept = readdirSync(dir).filter((f) => f.startsWith('rec.duckdb.failed-run-nightly-2026-03-01'));
    expect(kept).toHaveLength(1);
    expect(existsSync(db + '.lock')).toBe(false);
  });
});

describe('a second run while one holds the store', () => {
  it("gets weisu's one-line message naming the holder and since when, not the database's lock error", async () => {
    const { db } = dbInTemp();
    (await Store.open(db)).close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'test/pipeline/fixtures/slow-job.ts'), db, '2026-01-05', '30000'],
      { cwd: packageRoot, env: { ...process.env, WEISU_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.includes('WRITTEN') && resolve()));
    const r = runCli(['--db', db, 'run', 'nightly', '--as-of', '2026-01-05']);
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `另一个运行正在使用数据库：slow（截至 2026-01-05，进程 ${child.pid}，主机 .+，开始于 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d）`,
      ),
    );
    expect(r.stderr).not.toMatch(/Conflicting lock|IO Error/);
  }, 60_000);
});
