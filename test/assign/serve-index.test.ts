// The address `weisu serve` prints, opened in a browser: a Chinese page saying what the service is and where to go
// (a grid worker opens the personal link in the push message; the API is documented in docs/assign.md), with no
// data on it. It answered a bare JSON 404 {"error":"没有这个地址"} before (qa-zh Z2).
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignConfig } from '../../src/assign/config.js';
import { generateItems } from '../../src/assign/generate.js';
import { createFeedbackServer } from '../../src/assign/server.js';
import { configFrom } from '../../src/store/config.js';
import { packageRoot } from '../../src/store/paths.js';
import type { Store } from '../../src/store/db.js';
import { listenLocal, tempStore, testContext } from '../helpers.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

const SECRET = 'page-secret-for-index-tests-0123';
const raw = { assign: { recipients: RECIPIENTS }, page: { secret: SECRET, baseUrl: 'https://grid.example' } };
const cfg = assignConfig(configFrom(raw));

let store: Store;
let dbPath: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ store, dbPath, cleanup } = await tempStore());
  await seedScenario(store);
  await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
});
afterEach(() => cleanup());

/** What must never show on a page anyone who reaches the port can open. */
async function secrets(): Promise<string[]> {
  const ids = await store.all<{ item_id: string }>(`SELECT item_id FROM assignments`);
  return [...RECIPIENTS.flatMap((r) => [r.name, r.token]), SECRET, ...ids.map((r) => r.item_id)];
}

describe('serve index page', () => {
  let server: Server;
  let base: string;
  beforeEach(async () => {
    server = createFeedbackServer({ dbPath, cfg, now: () => '2026-03-01 12:00:00', lockWaitMs: 2000 });
    ({ base } = await listenLocal(server));
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it('answers / with a Chinese page that says what this is and where to go, holding no data', async () => {
    const secretsList = await secrets();
    expect(secretsList.length).toBeGreaterThan(8);
    const r = await fetch(`${base}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await r.text();
    expect(html).toContain('weisu 网格交办服务');
    expect(html).toContain('推送消息');
    expect(html).toContain('docs/assign.md');
    for (const s of secretsList) expect(html, s).not.toContain(s);
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('keeps other paths and methods as they were: JSON 404 in Chinese', async () => {
    for (const [path, method] of [
      ['/', 'POST'],
      ['/nope', 'GET'],
      ['/health/x', 'GET'],
    ] as const) {
      const r = await fetch(`${base}${path}`, { method });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(await r.json()).toEqual({ error: '没有这个地址' });
    }
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
  });
});

describe('weisu serve startup line', () => {
  it('says in Chinese what the printed address is, and that address opens the index page', async () => {
    store.close(); // the child opens the store (cleanup tolerates a closed one)
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'src/cli/main.ts'), '--db', dbPath, 'serve', '--port', '0'],
      { cwd: packageRoot, env: { ...process.env, WEISU_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const text = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          // the startup text is one write; a moment more for a second line should it come apart
          if (out.includes('\n')) setTimeout(() => resolve(out), 300);
        });
        child.on('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
      });
      expect(text).toMatch(/weisu 网格交办服务已启动：http:\/\/127\.0\.0\.1:\d+/);
      expect(text).toContain('推送消息');
      expect(text).toContain('docs/assign.md');
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(text)![0];
      expect(await (await fetch(url)).text()).toContain('weisu 网格交办服务');
    } finally {
      await new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
    }
  }, 60_000);
});
