import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { packageRoot } from '../../src/store/paths.js';
import { ingestDropStage } from '../../src/ingest/drop-stage.js';
import { runCli, tempDir, testContext } from '../helpers.js';
import { HEADER, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function count(db: string): Promise<{ orders: number; files: number; quarantine: number }> {
  const s = await Store.open(db);
  try {
    return (await s.one<{ orders: number; files: number; quarantine: number }>(
      'SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM ingested_files) AS files, (SELECT count(*) FROM quarantine) AS quarantine',
    ))!;
  } finally {
    s.close();
  }
}

describe('weisu ingest (CLI)', () => {
  it('--json prints exactly one JSON document; errors are one line, exit 2, store unchanged; --strict exits 3', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = join(t.dir, 'w.duckdb');
    const ok = writeText(t.dir, 'ok.csv', `${HEADER}\nA1,2024-01-02 08:00,城乡建设,好\nA2,,城乡建设,坏\n`);
    const r = runCli(['--db', db, '--json', 'ingest', ok], { env: { WEISU_LOG_LEVEL: 'info' } });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, number>;
    expect(doc).toMatchObject({ read: 2, loaded: 1, updated: 0, unchanged: 0, quarantined: 1 });
    expect(r.stderr).toContain('ingest_file'); // logs went to stderr, not stdout
    const before = await count(db);

    for (const args of [
      [join(t.dir, 'missing.csv')],
      [writeText(t.dir, 'x.unknown', 'a')],
      [
        '--mapping',
        writeText(t.dir, 'bad-mapping.json', '{"columns": {"工单编号": "order_id", "不存在": "content"}}'),
        writeText(t.dir, 'zh.csv', '工单编号,受理时间,诉求分类,诉求内容\nZ1,2024-01-02,城乡建设,x\n'),
      ],
    ]) {
      const e = runCli(['--db', db, '--json', 'ingest', ...args]);
      expect(e.code, e.stderr).toBe(2);
      expect(e.stdout).toBe('');
      expect(e.stderr.trim().split('\n')).toHaveLength(1);
      expect(e.stderr).toMatch(/^weisu: /);
    }
    expect(await count(db)).toEqual(before);

    const strict = runCli([
      '--db',
      db,
      '--json',
      'ingest',
      '--strict',
      writeText(t.dir, 'bad.csv', `${HEADER}\nB1,2024-01-02 08:00,城乡建设,好\nB2,2024-01-02 08:00,,坏\n`),
    ]);
    expect(strict.code).toBe(3);
    expect(JSON.parse(strict.stdout)).toMatchObject({ read: 2, quarantined: 1, strict_failed: true });
    expect(strict.stderr).toMatch(/--strict：.* 中有 1 行被隔离，未读入任何工单/);
    // the one line names the first rejected row: file, line, field and reason
    expect(strict.stderr).toMatch(/；第一处：bad\.csv:3 category: 诉求分类 category 为空\n$/);
    expect(strict.stderr.trim().split('\n')).toHaveLength(1);
    expect((await count(db)).orders).toBe(before.orders);
  }, 300_000);

  it('a SIGKILL mid-ingest leaves the store as it was; a re-run completes', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = join(t.dir, 'k.duckdb');
    const small = writeText(t.dir, 'small.csv', `${HEADER}\nK0,2024-01-02 08:00,城乡建设,好\n`);
    expect(runCli(['--db', db, 'ingest', small]).code).toBe(0);
    const big = join(t.dir, 'big.csv');
    {
      const s = await Store.open(':memory:', { migrate: false });
      await s.exec(`COPY (SELECT 'K' || (i + 1) AS order_id, TIMESTAMP '2023-01-01' + to_seconds(i * 37) AS created_at, '城乡建设/供暖' AS category,
        '暖气不热，已经好几天了，第' || i || '次反映' AS content FROM range(300000) t(i)) TO '${big}' (FORMAT csv, HEADER true)`);
      s.close();
    }
    const before = await count(db);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), '--db', db, 'ingest', big],
      {
        env: { ...process.env, WEISU_LOG_LEVEL: 'debug', WEISU_SALT: 'test-salt-0123456789' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let killedMidway = false;
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.stderr.on('data', (d: Buffer) => {
      // the file's transaction is open once its rows are staged; kill it there
      if (!killedMidway && d.toString().includes('"step":"read"')) {
        killedMidway = true;
        child.kill('SIGKILL');
      }
    });
    await exited;
    expect(killedMidway).toBe(true);
    expect(await count(db)).toEqual(before);
    const again = runCli(['--db', db, '--json', 'ingest', big]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 300000, loaded: 300000 });
    expect((await count(db)).orders).toBe(300001);
  }, 300_000);

  it('the nightly drop-folder stage loads new files only, and is a no-op without a drop folder', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const s = await Store.open(join(t.dir, 'd.duckdb'));
    try {
      expect(await s.tx(() => ingestDropStage.run(testContext(s, '2024-02-01')))).toEqual({ files: 0 });
      const drop = join(t.dir, 'drop');
      (await import('node:fs')).mkdirSync(drop, { recursive: true });
      writeText(drop, 'day1.csv', `${HEADER}\nN1,2024-01-02 08:00,城乡建设,好\n`);
      const ctx = testContext(s, '2024-02-01', { dropFolder: drop });
      expect(await s.tx(() => ingestDropStage.run(ctx))).toMatchObject({ files: 1, loaded: 1 });
      writeText(drop, 'day2.csv', `${HEADER}\nN1,2024-01-02 08:00,城乡建设,好\nN2,2024-01-03 08:00,城乡建设,新\n`);
      expect(await s.tx(() => ingestDropStage.run(ctx))).toMatchObject({ files: 1, skipped: 1, loaded: 1 });
      expect(await s.tx(() => ingestDropStage.run(ctx))).toMatchObject({ files: 0, skipped: 2 });
      expect(await s.value('SELECT count(*) FROM orders')).toBe(2);
    } finally {
      s.close();
    }
  }, 120_000);
});
