import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempStore, testContext } from '../helpers.js';
import { board } from '../../src/assign/board.js';
import { assignConfig } from '../../src/assign/config.js';
import { itemsCsv } from '../../src/assign/export.js';
import { parseCsv } from '../../src/assign/feedback-file.js';
import { generateItems } from '../../src/assign/generate.js';
import { buildMessages } from '../../src/assign/messages.js';
import { pushStage } from '../../src/assign/push-stage.js';
import { rememberConfig } from '../../src/cli/env.js';
import { configFrom } from '../../src/store/config.js';
import { Store } from '../../src/store/db.js';
import { packageRoot } from '../../src/store/paths.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

// What careless operators do (no --config, a copy-pasted token, an unset variable under cron) and what hostile
// complaint text does to exported lists and robot messages. Each case failed on c78e8aa.
const raw = { assign: { recipients: RECIPIENTS } };

let store: Store;
let dbPath: string;
let dir: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ store, dbPath, dir, cleanup } = await tempStore());
  await seedScenario(store);
});
afterEach(() => cleanup());

const counts = async (s: Store) => ({
  tokens: await s.value<number>(`SELECT count(token_hash) FROM recipients`),
  routed: await s.value<number>(`SELECT count(DISTINCT item_id) FROM assignment_recipients`),
});

/** `weisu serve` in a child process until it prints where it listens; returns that address and a stop. */
async function startServe(args: string[]): Promise<{ base: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), ...args, '--json', 'serve', '--port', '0'],
    { cwd: packageRoot, env: { ...process.env, WEISU_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /"listening":\s*"([^"]+)"/.exec(d.toString());
      if (m) resolve(m[1]);
    });
    child.on('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
  });
  const stop = () =>
    new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGTERM');
    });
  return { base, stop };
}

describe('serve without --config', () => {
  it('uses the remembered config, and with none at all keeps the stored recipients and routes', async () => {
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    const before = await counts(store);
    expect(before.tokens).toBe(4);
    const configFile = join(dir, 'weisu.config.json');
    writeFileSync(configFile, JSON.stringify(raw));
    await rememberConfig(store, configFile);
    store.close();
    for (const forget of [false, true]) {
      if (forget) {
        const s = await Store.open(dbPath);
        await s.exec(`DELETE FROM settings WHERE key = 'config.path'`);
        s.close();
      }
      const srv = await startServe(['--db', dbPath]);
      try {
        const r = await fetch(`${srv.base}/items`, { headers: { authorization: `Bearer ${RECIPIENTS[0].token}` } });
        expect(r.status, forget ? 'no config at all' : 'remembered config').toBe(200);
        expect(((await r.json()) as { items: unknown[] }).items).toHaveLength(2);
      } finally {
        await srv.stop();
      }
      const s = await Store.open(dbPath);
      expect(await counts(s)).toEqual(before);
      s.close();
    }
    store = await Store.open(dbPath); // for cleanup
  }, 60_000);
});

describe('config', () => {
  it('refuses two recipients with the same token, naming both', () => {
    const copied = { ...RECIPIENTS[1], id: 'g2-copy', grids: ['G3'], token: RECIPIENTS[0].token };
    expect(() => assignConfig(configFrom({ assign: { recipients: [...RECIPIENTS, copied] } }))).toThrow(
      /接收人 'g1' 和 'g2-copy' 的令牌相同/,
    );
    process.env.WEISU_TEST_TOKEN_DUP = RECIPIENTS[2].token;
    try {
      const viaEnv = { ...RECIPIENTS[3], id: 'u2', token: undefined, tokenEnv: 'WEISU_TEST_TOKEN_DUP' };
      expect(() => assignConfig(configFrom({ assign: { recipients: [...RECIPIENTS, viaEnv] } }))).toThrow(
        /接收人 's1' 和 'u2' 的令牌相同/,
      );
    } finally {
      delete process.env.WEISU_TEST_TOKEN_DUP;
    }
  });
});

describe('an unset tokenEnv (as under cron)', () => {
  it('skips that recipient with a warning, keeps its stored token, pushes the others; assign export exits 0', async () => {
    const received: string[] = [];
    const hook = createServer((req, res) => {
      received.push(req.url ?? '');
      req.resume().on('end', () => res.end('{}'));
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}`;
    const cfgRaw = {
      assign: {
        recipients: [
          {
            ...RECIPIENTS[0],
            token: undefined,
            tokenEnv: 'WEISU_TEST_G1_TOKEN',
            webhook: { type: 'json', url: `${url}/g1` },
          },
          { ...RECIPIENTS[1], webhook: { type: 'json', url: `${url}/g2` } },
        ],
      },
    };
    try {
      process.env.WEISU_TEST_G1_TOKEN = RECIPIENTS[0].token;
      await generateItems(testContext(store, '2026-03-01', cfgRaw), { topics: true, hotspots: false });
      delete process.env.WEISU_TEST_G1_TOKEN;
      const counts = await pushStage.run(testContext(store, '2026-03-01', cfgRaw));
      expect(received).toEqual(['/g2']);
      expect(counts.messages_sent).toBe(1);
      expect(await store.value(`SELECT count(token_hash) FROM recipients WHERE recipient_id = 'g1'`)).toBe(1);
    } finally {
      delete process.env.WEISU_TEST_G1_TOKEN;
      await new Promise((r) => hook.close(r));
    }
    store.close();
    const configFile = join(dir, 'cron.config.json');
    writeFileSync(configFile, JSON.stringify(cfgRaw));
    const r = runCli([
      '--db',
      dbPath,
      '--config',
      configFile,
      'assign',
      'export',
      '--as-of',
      '2026-03-01',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/WEISU_TEST_G1_TOKEN/);
    store = await Store.open(dbPath);
  }, 60_000);
});

describe('text from complaints', () => {
  it('neutralises spreadsheet formulas in every CSV cell, leaving numbers as numbers', async () => {
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    const [it0] = await board(store, '2026-03-01 12:00:00', 0.75, { recipientId: 'g1' });
    const item = {
      ...it0,
      title: '@SUM(A1:A9)',
      evidence: {
        ...it0.evidence,
        z: -2.5,
        address: '=HYPERLINK("http://evil.example","点我")',
        typical_orders: [{ order_id: 'x', day: '\t=cmd', content: "=cmd|'/C calc'!A0" }],
      },
    };
    const rows = parseCsv(itemsCsv([item]).replace(/^\ufeff/, ''));
    const header = rows[0].cells;
    const cells = Object.fromEntries(header.map((h, i) => [h, rows[1].cells[i]]));
    expect(cells.address).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(cells.title).toBe("'@SUM(A1:A9)");
    expect(cells.typical_orders.startsWith("'")).toBe(true);
    expect(cells.z).toBe('-2.5');
    for (const c of rows[1].cells) expect(c, c).not.toMatch(/^[=+@\t\r]/);
  });

  it('shows Markdown links and markup from complaint text in robot messages, never renders them', async () => {
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    const [it0] = await board(store, '2026-03-01 12:00:00', 0.75, { recipientId: 'g1' });
    const item = {
      ...it0,
      evidence: {
        ...it0.evidence,
        address: '<font color="info">幸福路</font>',
        typical_orders: [
          {
            order_id: 'x',
            day: '2026-02-10',
            content: '领取补贴[点此](http://evil.example/a) 或 https://evil.example/b',
          },
        ],
      },
    };
    for (const type of ['wecom', 'dingtalk'] as const) {
      const [msg] = buildMessages(type, { id: 'g1', name: '网格员[张三](http://x.example)' }, '2026-03-01', [item], 20);
      const text = JSON.stringify(msg.body);
      expect(text, type).not.toContain('](');
      expect(text, type).not.toMatch(/https?:\/\//);
      expect(text, type).not.toContain('<font color=\\"info\\">幸福路');
      expect(text, type).toContain('领取补贴');
    }
  });
});

describe('push --dry-run', () => {
  it('previews the items of a recipient configured since the last run, and writes nothing', async () => {
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    store.close();
    const added = {
      id: 'g9',
      name: '网格员新',
      kind: 'grid',
      grids: ['G1'],
      webhook: { type: 'wecom', url: 'http://127.0.0.1:9/r?key=K' },
    };
    const configFile = join(dir, 'new.config.json');
    writeFileSync(configFile, JSON.stringify({ assign: { recipients: [...RECIPIENTS, added] } }));
    const r = runCli(['--db', dbPath, '--config', configFile, '--json', 'push', '--dry-run', '--as-of', '2026-03-01']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { recipients: Array<{ recipient: string; items: number; messages: number }> };
    expect(doc.recipients.find((x) => x.recipient === 'g9')).toMatchObject({ items: 2, messages: 1 });
    store = await Store.open(dbPath);
    expect(await store.value(`SELECT count(*) FROM recipients WHERE recipient_id = 'g9'`)).toBe(0);
    expect(await store.value(`SELECT count(*) FROM pushes`)).toBe(0);
  }, 60_000);
});
