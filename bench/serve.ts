/**
 * `weisu serve` under load on the loopback: 2,000 requests, 64 at a time, of which 400 POSTs repeat an item's
 * current status with a new note (half with an Idempotency-Key, half without) and the rest read (/items,
 * /items/<id>, /health). Prints notes lost (POSTs answered but not stored), 5xx answers and latency; several runs,
 * the median p95.
 *
 *   npm run bench:serve -- [--runs 5] [--requests 2000] [--concurrency 64]
 *
 * Listens on 127.0.0.1 only, on a port the OS picks; every loop is bounded by the request count.
 */
import type { AddressInfo } from 'node:net';
import { assignConfig } from '../src/assign/config.js';
import { generateItems } from '../src/assign/generate.js';
import { createFeedbackServer } from '../src/assign/server.js';
import { configFrom } from '../src/store/config.js';
import { Store } from '../src/store/db.js';
import { RECIPIENTS, seedScenario } from '../test/assign/fixture.js';
import { tempStore, testContext } from '../test/helpers.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = opt('runs', 5);
const REQUESTS = opt('requests', 2000);
const CONCURRENCY = opt('concurrency', 64);
const POSTS = Math.round(REQUESTS / 5);

interface Req {
  method: 'GET' | 'POST';
  path: string;
  token: string | null;
  body?: unknown;
  key?: string;
  note?: string;
}

/** The run's requests, interleaved: every fifth is a note POST, the others cycle through the reads. */
function plan(run: number, owned: Array<{ token: string; items: string[] }>): Req[] {
  const reqs: Req[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const who = owned[i % owned.length];
    const item = who.items[i % who.items.length];
    if (i % 5 === 0) {
      const note = `bench-${run}-${i}`;
      const key = (i / 5) % 2 === 0 ? note : undefined;
      reqs.push({
        method: 'POST',
        path: `/items/${item}/status`,
        token: who.token,
        body: { status: '交办', note },
        key,
        note,
      });
    } else if (i % 5 === 1) reqs.push({ method: 'GET', path: '/health', token: null });
    else if (i % 5 === 2) reqs.push({ method: 'GET', path: `/items/${item}`, token: who.token });
    else reqs.push({ method: 'GET', path: '/items', token: who.token });
  }
  return reqs;
}

async function send(base: string, r: Req): Promise<{ status: number; ms: number }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (r.token) headers.authorization = `Bearer ${r.token}`;
  if (r.key) headers['idempotency-key'] = r.key;
  const t0 = performance.now();
  try {
    const res = await fetch(base + r.path, {
      method: r.method,
      headers,
      body: r.body ? JSON.stringify(r.body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function oneRun(base: string, dbPath: string, run: number, owned: Array<{ token: string; items: string[] }>) {
  const reqs = plan(run, owned);
  const results: Array<{ status: number; ms: number }> = new Array(reqs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < reqs.length; i = next++) results[i] = await send(base, reqs[i]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const store = await Store.open(dbPath, { migrate: false });
  const stored = (await store.value<number>(`SELECT count(*) FROM feedback WHERE note LIKE $p`, {
    p: `bench-${run}-%`,
  }))!;
  store.close();
  const posts = reqs.map((r, i) => ({ r, res: results[i] })).filter((x) => x.r.method === 'POST');
  const accepted = posts.filter((x) => x.res.status === 201).length;
  return {
    lost: POSTS - stored,
    accepted,
    fiveXx: results.filter((x) => x.status >= 500 || x.status === 0).length,
    other: results.filter((x) => x.status !== 200 && x.status !== 201).length,
    p50: quantile(
      results.map((x) => x.ms),
      0.5,
    ),
    p95: quantile(
      results.map((x) => x.ms),
      0.95,
    ),
  };
}

async function main(): Promise<void> {
  const raw = { assign: { recipients: RECIPIENTS } };
  const t = await tempStore();
  await seedScenario(t.store);
  await generateItems(testContext(t.store, '2026-03-01', raw), { topics: true, hotspots: true });
  const owned: Array<{ token: string; items: string[] }> = [];
  for (const r of RECIPIENTS) {
    const rows = await t.store.all<{ item_id: string }>(
      `SELECT item_id FROM assignment_recipients WHERE recipient_id = $r ORDER BY item_id`,
      { r: r.id },
    );
    if (rows.length) owned.push({ token: r.token, items: rows.map((x) => x.item_id) });
  }
  t.store.close();
  const server = createFeedbackServer({ dbPath: t.dbPath, cfg: assignConfig(configFrom(raw)) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const runs = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const r = await oneRun(base, t.dbPath, run, owned);
      runs.push(r);
      console.log(
        `run ${run}: ${REQUESTS} requests at ${CONCURRENCY}: notes lost ${r.lost}/${POSTS}, 5xx ${r.fiveXx}, other non-2xx ${r.other}, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`,
      );
    }
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    t.cleanup();
  }
  const lost = runs.reduce((s, r) => s + r.lost, 0);
  const fiveXx = runs.reduce((s, r) => s + r.fiveXx, 0);
  console.log(
    `serve bench: ${RUNS} runs × ${REQUESTS} requests at ${CONCURRENCY} concurrent: lost notes ${lost}, 5xx ${fiveXx}, median p95 ${quantile(
      runs.map((r) => r.p95),
      0.5,
    ).toFixed(1)} ms (median p50 ${quantile(
      runs.map((r) => r.p50),
      0.5,
    ).toFixed(1)} ms)`,
  );
  if (lost > 0 || fiveXx > 0) process.exitCode = 1;
}

await main();
