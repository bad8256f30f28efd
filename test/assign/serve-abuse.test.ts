// `weisu serve` against hostile clients, the JSON API and the phone page alike: malformed or oversized bodies,
// garbage on the wire, paths that climb, forged / expired / foreign keys and tokens, markup in notes and orders shown
// back, concurrent reports on one item, many idle connections. Each is refused alone — a JSON error or a Chinese
// page — while the server keeps answering everyone else and the store stays consistent.
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignConfig } from '../../src/assign/config.js';
import { generateItems } from '../../src/assign/generate.js';
import { pageLink } from '../../src/assign/page/config.js';
import { createFeedbackServer } from '../../src/assign/server.js';
import { configFrom } from '../../src/store/config.js';
import { Store } from '../../src/store/db.js';
import { listenLocal, tempStore, testContext } from '../helpers.js';
import { addOrders, RECIPIENTS, seedScenario } from './fixture.js';

const raw = { assign: { recipients: RECIPIENTS } };
const cfg = assignConfig(configFrom(raw));
const SECRET = 'page-secret-for-abuse-tests-0123';
const G1 = RECIPIENTS[0]!.token;
const G2 = RECIPIENTS[1]!.token;
const MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const CHINESE = /[\u4e00-\u9fff]/;

let dbPath: string;
let cleanup: () => void;
let server: Server;
let base: string;
let port: number;
let own: string; // g1's hotspot item
let foreign: string; // an item routed to g2 and not to g1
let link: string; // g1's page link
const sockets: Socket[] = [];

beforeEach(async () => {
  let store: Store;
  ({ store, cleanup, dbPath } = await tempStore());
  await seedScenario(store);
  // an order whose text is markup: it may be shown on the page as a typical order
  await addOrders(store, [
    {
      id: 'X1',
      at: '2026-02-20 09:00:00',
      category: '城市管理/路灯照明/路灯不亮',
      cell: 'C1',
      grid: 'G1',
      content: `路灯不亮${MARKUP}`,
    },
  ]);
  await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
  const routed = (r: string) =>
    store.all<{ item_id: string }>(
      `SELECT item_id FROM assignment_recipients WHERE recipient_id = $r AND item_id NOT IN
         (SELECT item_id FROM assignment_recipients WHERE recipient_id <> $r AND recipient_id LIKE 'g%') ORDER BY item_id`,
      { r },
    );
  own = (await store.value<string>(
    `SELECT a.item_id FROM assignments a JOIN assignment_recipients r USING (item_id) WHERE r.recipient_id = 'g1' AND a.source = 'hotspot'`,
  ))!;
  foreign = (await routed('g2'))[0]!.item_id;
  store.close();
  const page = { secret: SECRET, baseUrl: null, linkDays: 14, streets: null };
  server = createFeedbackServer({
    dbPath,
    cfg,
    now: () => '2026-03-01 12:00:00',
    clock: () => new Date('2026-03-01T04:00:00Z'),
    lockWaitMs: 2000,
    bodyTimeoutMs: 800,
    headersTimeoutMs: 800,
    page,
  });
  link = pageLink(page, 'g1', Date.parse('2026-03-01T04:00:00Z'));
  ({ base, port } = await listenLocal(server));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  cleanup();
});

/** Raw bytes on a new connection; resolves with everything the server sent once it closes (or after waitMs). */
function wire(text: string | Buffer, waitMs = 3000): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.write(text);
  let got = '';
  return new Promise((resolve) => {
    const done = () => resolve(got);
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', done).on('error', done);
    setTimeout(done, waitMs);
  });
}

const api = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(base + path, {
    ...init,
    headers: { authorization: `Bearer ${init.token ?? G1}`, 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(5000),
  });

/** A refusal of the JSON API: the status, a JSON body with a Chinese `error`. */
async function jsonError(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const doc = (await res.json()) as { error?: string };
  expect(doc.error, JSON.stringify(doc)).toMatch(CHINESE);
  return doc.error!;
}
/** The body of a raw HTTP answer: a JSON error in Chinese with the status. */
function rawJsonError(answer: string, status: number): void {
  expect(answer, answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(answer.toLowerCase()).toContain('content-type: application/json');
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  expect((JSON.parse(body) as { error: string }).error).toMatch(CHINESE);
}
async function stillUp(): Promise<void> {
  expect((await fetch(base + '/health', { signal: AbortSignal.timeout(3000) })).status).toBe(200);
  expect((await api('/items')).status).toBe(200);
}
/** Each item's history is one chain: every row starts where the one before ended, the last ends at its status. */
async function consistent(): Promise<void> {
  const store = await Store.open(dbPath);
  try {
    const rows = await store.all<{ item_id: string; from_status: string; to_status: string; status: string }>(
      `SELECT f.item_id, f.from_status, f.to_status, a.status FROM feedback f JOIN assignments a USING (item_id)
       ORDER BY f.item_id, f.rowid`,
    );
    const last = new Map<string, { to: string; status: string }>();
    for (const r of rows) {
      const prev = last.get(r.item_id);
      if (prev) expect(r.from_status, `${r.item_id}: ${JSON.stringify(rows)}`).toBe(prev.to);
      last.set(r.item_id, { to: r.to_status, status: r.status });
    }
    for (const [item, l] of last) expect(l.status, item).toBe(l.to);
  } finally {
    store.close();
  }
}

describe('the JSON API refuses a bad request alone, in Chinese JSON', () => {
  it('malformed, non-object, deeply nested and mistyped bodies: 400', async () => {
    const bodies = ['{"status":', '[1,2]', '"排查"', 'null', '12', '['.repeat(60_000), '{"status":{"$ne":null}}'];
    for (const body of bodies) await jsonError(await api(`/items/${own}/status`, { method: 'POST', body }), 400);
    // a status no flow knows, as long as the limit allows: refused as a step, not a crash
    const odd = await api(`/items/${own}/status`, {
      method: 'POST',
      body: JSON.stringify({ status: 'x'.repeat(5000) }),
    });
    expect(odd.status).toBeGreaterThanOrEqual(400);
    expect(odd.status).toBeLessThan(500);
    await jsonError(odd, odd.status);
    await stillUp();
    await consistent();
  });

  it('a chunked body past the limit (no length announced): 413, the others unaffected', async () => {
    const big = Buffer.alloc(200 * 1024, 'a');
    const head =
      `POST /items/${own}/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${G1}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const answer = wire(Buffer.concat([Buffer.from(head), Buffer.from(big.length.toString(16) + '\r\n'), big]));
    rawJsonError(await answer, 413);
    await stillUp();
  });

  it('garbage on the wire and headers past the limit: JSON errors, not the bare defaults', async () => {
    rawJsonError(await wire('NONSENSE\r\n\r\n'), 400);
    rawJsonError(await wire(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431);
    await stillUp();
  });

  it('paths that climb or carry odd bytes reach no file and no other item: 404 / 400', async () => {
    for (const p of [
      '/items/..%2F..%2Fetc%2Fpasswd',
      '/items/%2e%2e/%2e%2e/etc/passwd',
      "/items/x'%20OR%20'1'%3D'1",
      '/items/%00',
    ])
      await jsonError(await api(p), 404);
    await jsonError(await api('/../../etc/passwd'), 404);
    // backslashes are slashes to the URL parser: /items/..\..\windows is /windows
    rawJsonError(await wire('GET /items/..\\..\\windows HTTP/1.1\r\nHost: x\r\n\r\n'), 404);
    await jsonError(await api('/items/%E0%A4%A'), 400);
  });

  it('forged, missing and foreign tokens: 401 / 403, and nothing is recorded', async () => {
    const body = JSON.stringify({ status: '排查' });
    await jsonError(await api(`/items/${own}/status`, { method: 'POST', body, token: 'forged-token-0123456789' }), 401);
    await jsonError(await api(`/items/${own}/status`, { method: 'POST', body, token: 'x'.repeat(6000) }), 401);
    await jsonError(
      await fetch(`${base}/items/${own}/status`, { method: 'POST', body, headers: { authorization: `Basic ${G1}` } }),
      401,
    );
    // g2's valid token on g1's item
    await jsonError(await api(`/items/${own}/status`, { method: 'POST', body, token: G2 }), 403);
    await jsonError(await api(`/items/${foreign}`), 403);
    const store = await Store.open(dbPath);
    try {
      expect(await store.value<number>('SELECT count(*)::INT FROM feedback')).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe('concurrent reports on one item', () => {
  it('take each step once, in order; the history stays one chain ending at the item status', async () => {
    const steps = ['排查', '整改', '办结', '排查', '整改', '办结'];
    const sends = Array.from({ length: 30 }, (_, i) =>
      api(`/items/${own}/status`, {
        method: 'POST',
        body: JSON.stringify({ status: steps[i % steps.length], note: `第${i}次` }),
      }),
    );
    const codes = (await Promise.all(sends)).map((r) => r.status);
    for (const c of codes) expect([200, 201, 409]).toContain(c);
    const taken = codes.filter((c) => c === 201).length;
    expect(taken).toBeGreaterThan(0);
    await consistent();
    // every 201 is one row of the history, and nothing else is
    const store = await Store.open(dbPath);
    try {
      expect(await store.value<number>('SELECT count(*)::INT FROM feedback WHERE item_id = $i', { i: own })).toBe(
        taken,
      );
    } finally {
      store.close();
    }
    await stillUp();
  });
});

describe('many connections', () => {
  it('300 idle connections do not keep /health, the API or the page from answering', async () => {
    for (let i = 0; i < 300; i++) {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => {});
      sockets.push(s);
      s.write('GET /health HTTP/1.1\r\n'); // and never the rest
    }
    const t0 = Date.now();
    await stillUp();
    expect((await fetch(base + link)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('the phone page refuses a bad request alone, in Chinese', () => {
  const page = async (res: Response, status: number, words: string): Promise<string> => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain(words);
    return html;
  };
  const form = (path: string, body: URLSearchParams | string) =>
    fetch(base + path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });

  it('shows markup from notes, orders and the query as text, never as markup', async () => {
    const taken = await form(`${link}/items/${own}`, new URLSearchParams({ status: '排查', note: MARKUP }));
    expect(taken.status).toBe(303);
    const urls = [link, `${link}/items/${own}`, `${link}?done=${encodeURIComponent(MARKUP)}&item=${own}&p=<b>`];
    for (const u of urls) {
      const html = await page(await fetch(base + u), 200, own);
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      expect(html.match(/<script>/g) ?? []).toHaveLength(1); // the page's own script only
    }
    // the report's status from the query is shown, as text
    expect(await (await fetch(base + urls[2]!)).text()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // the note comes back through the API as data, in a JSON document that no browser sniffs as a page
    const detail = await api(`/items/${own}`);
    expect(detail.headers.get('x-content-type-options')).toBe('nosniff');
    expect(JSON.stringify(await detail.json())).toContain('<script>alert(1)</script>');
    await consistent();
  });

  it('forged, expired, foreign and garbled keys and items: 403 / 404 / 400 pages', async () => {
    const forged = link.slice(0, -2) + (link.endsWith('AA') ? 'BB' : 'AA');
    await page(await fetch(base + forged), 403, '链接无效');
    const expired = pageLink({ secret: SECRET, baseUrl: null, linkDays: 1 }, 'g1', Date.parse('2026-02-01T00:00:00Z'));
    await page(await fetch(base + expired), 403, '链接已过期');
    const otherSecret = pageLink(
      { secret: 'another-secret-0123456789abcdef', baseUrl: null, linkDays: 14 },
      'g1',
      Date.now(),
    );
    await page(await fetch(base + otherSecret), 403, '链接无效');
    await page(await fetch(`${base}/m/${encodeURIComponent(MARKUP)}`), 403, '链接无效');
    await page(await fetch(`${base}${link}/items/${foreign}`), 403, '该事项不属于您');
    await page(await form(`${link}/items/${foreign}`, 'status=排查'), 403, '该事项不属于您');
    await page(await fetch(`${base}${link}/items/..%2F..%2Fetc%2Fpasswd`), 404, '没有这个事项');
    await page(await fetch(`${base}${link}/items/a/b`), 404, '页面不存在');
    await page(await form(link, 'status=排查'), 405, '不支持');
    await page(await fetch(`${base}/m/%E0%A4%A`), 400, '链接不完整');
    await stillUp();
  });

  it('an oversized or stalled form: 413 / 408 pages, nothing recorded', async () => {
    const big = `status=${encodeURIComponent('办结')}&note=${'a'.repeat(100_000)}`;
    await page(await form(`${link}/items/${own}`, big), 413, '过长');
    const head =
      `POST ${link}/items/${own} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      'Content-Length: 100\r\n\r\nstatus=';
    const answer = await wire(head, 3000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('提交超时');
    const store = await Store.open(dbPath);
    try {
      expect(await store.value<number>('SELECT count(*)::INT FROM feedback')).toBe(0);
    } finally {
      store.close();
    }
    await stillUp();
  });
});
