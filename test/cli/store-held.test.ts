import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/pipeline/lock.js';
import { Store } from '../../src/store/db.js';
import { packageRoot } from '../../src/store/paths.js';
import { runCli, tempDir } from '../helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function newStore(): Promise<{ db: string; dir: string }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = join(t.dir, 'w.duckdb');
  (await Store.open(db)).close();
  return { db, dir: t.dir };
}

describe('other commands while the store is held', () => {
  it('a pipeline run holds it: ingest and alerts exit 2 with the run lock line (pipeline, pid, since)', async () => {
    // measured: exit 1 with DuckDB's "Could not set lock on file … Conflicting lock is held in /usr/bin/node (PID …)"
    const { db, dir } = await newStore();
    const lock = acquireRunLock(db, { pipeline: 'nightly', asOf: '2026-12-06' });
    cleanups.push(() => lock.release());
    const csv = join(dir, 'a.csv');
    writeFileSync(csv, 'order_id,created_at,content\nA1,2026-12-01 08:00:00,路灯不亮\n');
    for (const args of [['ingest', csv], ['alerts']]) {
      const r = runCli(['--db', db, ...args]);
      expect(r.code, args[0]).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `另一个运行正在使用数据库：nightly（截至 2026-12-06，进程 ${process.pid}，.*开始于 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d）`,
        ),
      );
    }
  }, 60_000);

  it('another process has the database open (no run lock): one Chinese line naming its pid, exit 2', async () => {
    const { db, dir } = await newStore();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'test/cli/fixtures/hold-store.ts'), db],
      {
        cwd: packageRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.includes('OPEN') && resolve()));
    const csv = join(dir, 'a.csv');
    writeFileSync(csv, 'order_id,created_at,content\nA1,2026-12-01 08:00:00,路灯不亮\n');
    const r = runCli(['--db', db, 'ingest', csv]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`正被另一个进程使用（进程 ${child.pid}）`);
    expect(r.stderr).not.toMatch(/Conflicting lock|IO Error/);
  }, 60_000);
});
