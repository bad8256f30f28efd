import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenLocal, tempStore, testContext } from '../helpers.js';
import { generateItems } from '../../src/assign/generate.js';
import { assignConfig } from '../../src/assign/config.js';
import { createFeedbackServer } from '../../src/assign/server.js';
import { configFrom } from '../../src/store/config.js';
import { Store } from '../../src/store/db.js';
import { packageRoot } from '../../src/store/paths.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

// The serve endpoint under clients that stall, lie or hurry. Each case failed on c78e8aa (see the commit).
const raw = { assign: { recipients: RECIPIENTS } };
const cfg = assignConfig(configFrom(raw));
const G1 = RECIPIENTS[0].token;

let dbPath: string;
let cleanup: () => void;
let server: Server;
let base: string;
let port: number;
let ownItem: string;
const sockets: Socket[] = [];

beforeEach(async () => {
  let store: Store;
  ({ store, cleanup, dbPath } = await tempStore());
  await seedScenario(store);
  await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
  ownItem = (await store.value<string>(
    `SELECT a.item_id FROM assignments a JOIN assignment_recipients r USING (item_id) WHERE r.recipient_id = 'g1' AND a.source = 'hotspot'`,
  ))!;
  store.close();
  server = createFeedbackServer({
    dbPath,
    cfg,
    now: () => '2026-03-01 12:00:00',
    lockWaitMs: 200,
    bodyTimeoutMs: 600,
    headersTimeoutMs: 600,
  } as Parameters<typeof createFeedbackServer>[0]);
  ({ base, port } = await listenLocal(server));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  cleanup();
});

/** A raw connection that sends `text` and collects what comes back until the server closes it. */
function rawClient(text: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.write(text);
  let got = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
  });
  return { socket, answer };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${G1}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });

describe('slow clients', () => {
  it('answers /health and other recipients in < 1 s while a client stalls mid-body, then gives the staller 408', async () => {
    const t0 = Date.now();
    const staller = rawClient(
      `POST /items/${ownItem}/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${G1}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"status":`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const h0 = Date.now();
    const health = await fetch(base + '/health', { signal: AbortSignal.timeout(1000) });
    expect(health.status).toBe(200);
    expect(Date.now() - h0).toBeLessThan(1000);
    const items = await fetch(base + '/items', {
      headers: { authorization: `Bearer ${RECIPIENTS[1].token}` },
      signal: AbortSignal.timeout(1000),
    });
    expect(items.status).toBe(200);
    const answer = await staller.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('refuses a request without a valid token from its headers, without waiting for its body', async () => {
    for (const auth of ['', 'Authorization: Bearer forged-token-000000000000\r\n']) {
      const t0 = Date.now();
      const c = rawClient(
        `POST /items/${ownItem}/status HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 5000\r\n\r\n{"st`,
      );
      expect(await c.answer).toMatch(/^HTTP\/1\.1 401/);
      expect(Date.now() - t0).toBeLessThan(500);
    }
  });

  it('closes a connection whose headers never finish, and refuses an announced oversize body at once', async () => {
    const t0 = Date.now();
    const half = rawClient(`GET /items HTTP/1.1\r\nHost: x\r\nAuthorization: Bear`);
    await half.answer;
    expect(Date.now() - t0).toBeLessThan(2500);
    const big = rawClient(
      `POST /items/${ownItem}/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${G1}\r\nContent-Length: 10000000\r\n\r\n`,
    );
    expect(await big.answer).toMatch(/^HTTP\/1\.1 413/);
  });
});

describe('paths and times', () => {
  it('answers bad percent-encoding with 400, not 500', async () => {
    for (const p of ['/items/%E0%A4%A', '/items/%zz', '/%']) {
      const r = await fetch(base + p, { headers: { authorization: `Bearer ${G1}` } });
      expect(r.status, p).toBe(400);
    }
  });

  it('refuses a time later than now plus the skew, so the item stays open to real updates', async () => {
    const far = await post(`/items/${ownItem}/status`, { status: '排查', at: '9999-12-31 23:59:59' });
    expect(far.status).toBe(400);
    expect(((await far.json()) as { error: string }).error).toMatch(/字段 at：.*晚于现在/);
    const soon = await post(`/items/${ownItem}/status`, { status: '排查', at: '2026-03-01 12:30:00' });
    expect(soon.status).toBe(400);
    // within the skew is accepted; the next real update still goes through
    expect((await post(`/items/${ownItem}/status`, { status: '排查', at: '2026-03-01 12:05:00' })).status).toBe(201);
    expect((await post(`/items/${ownItem}/status`, { status: '整改', at: '2026-03-01 12:06:00' })).status).toBe(201);
  });
});

describe('notes under load', () => {
  it('keeps every distinct note sent at once, and records a retried key once', async () => {
    const n = 24;
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) => post(`/items/${ownItem}/status`, { status: '交办', note: `进展${i}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(n).fill(201));
    // a retry with the same key (header, then body) is one report even with a different note
    const first = await post(`/items/${ownItem}/status`, { status: '交办', note: 'A' }, { 'idempotency-key': 'k-1' });
    const retry = await post(`/items/${ownItem}/status`, { status: '交办', note: 'A2' }, { 'idempotency-key': 'k-1' });
    const bodyKey = await post(`/items/${ownItem}/status`, { status: '交办', note: 'B', idempotency_key: 'k-2' });
    const bodyRetry = await post(`/items/${ownItem}/status`, { status: '交办', note: 'B', idempotency_key: 'k-2' });
    expect([first.status, retry.status, bodyKey.status, bodyRetry.status]).toEqual([201, 200, 201, 200]);
    expect(((await retry.json()) as { duplicate: boolean }).duplicate).toBe(true);
    const s = await Store.open(dbPath);
    try {
      const notes = await s.all<{ note: string }>(`SELECT note FROM feedback WHERE item_id = $i ORDER BY note`, {
        i: ownItem,
      });
      expect(notes).toHaveLength(n + 2);
      expect(new Set(notes.map((x) => x.note)).size).toBe(n + 2);
    } finally {
      s.close();
    }
  });
});

describe('the pipeline beside a busy server', () => {
  it('gets the store for its run while recipients keep sending requests', async () => {
    let stop = false;
    let served = 0;
    const worker = async () => {
      // bounded: at most 2,000 requests per worker, or until the run is done
      for (let i = 0; i < 2000 && !stop; i++) {
        const r = await fetch(base + '/items', { headers: { authorization: `Bearer ${G1}` } });
        await r.arrayBuffer();
        // while the run holds the file longer than lockWaitMs (200 ms here), a request is told to come back
        expect([200, 503]).toContain(r.status);
        if (r.status === 200) served++;
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    const job = spawn(
      process.execPath,
      ['--import', 'tsx', join(packageRoot, 'test/pipeline/fixtures/slow-job.ts'), dbPath, '2026-03-02', '0'],
      { cwd: packageRoot, env: { ...process.env, WEISU_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    job.stdout.on('data', (d: Buffer) => (out += d.toString()));
    job.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => job.once('exit', r));
    stop = true;
    await load;
    expect(out).toMatch(/"status":"ok"/);
    expect(served).toBeGreaterThan(0);
    expect((await fetch(base + '/items', { headers: { authorization: `Bearer ${G1}` } })).status).toBe(200);
  }, 60_000);
});
