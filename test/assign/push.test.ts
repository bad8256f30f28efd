import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { generateItems } from '../../src/assign/generate.js';
import { assignConfig } from '../../src/assign/config.js';
import { pageLinker } from '../../src/assign/page/config.js';
import { verifyKey } from '../../src/assign/page/link.js';
import { pushAll } from '../../src/assign/push.js';
import { dingtalkSignedUrl } from '../../src/assign/messages.js';
import { configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';
import { RECIPIENTS, seedScenario } from './fixture.js';
import { createHmac } from 'node:crypto';

interface Received {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A real HTTP server on 127.0.0.1 that records posts; `plan` maps a path to the statuses to answer in turn. */
async function webhookServer(
  plan: Record<string, number[]>,
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      received.push({
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const status = plan[u.pathname]?.shift() ?? 200;
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(status === 200 ? { errcode: 0, errmsg: 'ok' } : { error: 'boom' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, received, close: () => new Promise((r) => server.close(() => r())) };
}

let store: Store;
let cleanup: () => void;
beforeEach(async () => {
  ({ store, cleanup } = await tempStore());
  await seedScenario(store);
});
afterEach(() => cleanup());

function raw(base: string) {
  return {
    assign: {
      push: { backoffMs: 5, retries: 2, timeoutMs: 2000 },
      recipients: [
        { ...RECIPIENTS[0], webhook: { type: 'wecom', url: `${base}/wecom?key=abc` } },
        { ...RECIPIENTS[1], webhook: { type: 'json', url: `${base}/json`, secret: 'json-secret' } },
        {
          ...RECIPIENTS[2],
          webhook: { type: 'dingtalk', url: `${base}/ding?access_token=t`, secret: 'SECdingsecret' },
        },
        RECIPIENTS[3],
      ],
    },
  };
}

describe('push', () => {
  it('sends each recipient only its own items in its format, retries a 500, records every attempt', async () => {
    const srv = await webhookServer({ '/ding': [500] });
    try {
      const r = raw(srv.url);
      await generateItems(testContext(store, '2026-03-01', r), { topics: true, hotspots: true });
      const cfg = assignConfig(configFrom(r));
      const page = { secret: 'push-test-page-secret-0123', baseUrl: 'https://weisu.example.cn' };
      const link = pageLinker(configFrom({ ...r, page }));
      const reports = await pushAll(store, cfg, {
        asOf: '2026-03-01',
        now: '2026-03-01 00:00:00',
        dryRun: false,
        onlyNew: true,
        link,
      });
      const by = Object.fromEntries(reports.map((x) => [x.recipient, x]));
      expect(by.g1).toMatchObject({ items: 2, sent: 1, failed: 0 });
      expect(by.s1).toMatchObject({ items: 3, sent: 1, failed: 0 });
      expect(by.u1.skipped).toMatch(/no webhook/);

      const wecom = srv.received.filter((x) => x.path === '/wecom');
      expect(wecom).toHaveLength(1);
      expect(wecom[0].body.msgtype).toBe('markdown');
      const content = (wecom[0].body.markdown as { content: string }).content;
      expect(content).toContain('网格员张三');
      expect(content).not.toContain('网格G2'); // g2's topic item is not g1's
      expect(content).not.toContain('13812345678');
      expect(content).toContain('位置：幸福路（7/8件）');
      expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
      // how to report back: the recipient's own signed page link, never its API token
      const g1Link = /\]\((https:\/\/weisu\.example\.cn\/m\/[^)]+)\)/.exec(content)?.[1];
      expect(g1Link).toBeDefined();
      expect(verifyKey(page.secret, g1Link!.split('/m/')[1], Date.now() / 1000)).toMatchObject({
        ok: true,
        recipientId: 'g1',
      });
      expect(content).toContain('逐项点「排查」「整改」「办结」');
      expect(content).not.toContain(RECIPIENTS[0].token);

      const json = srv.received.filter((x) => x.path === '/json');
      expect(json).toHaveLength(1);
      const items = json[0].body.items as Array<{ grid_id: string }>;
      expect(items.map((i) => i.grid_id)).toEqual(['G2']);
      const ts = json[0].headers['x-weisu-timestamp'] as string;
      const expected =
        'sha256=' +
        createHmac('sha256', 'json-secret')
          .update(`${ts}.${JSON.stringify(json[0].body)}`)
          .digest('hex');
      expect(json[0].headers['x-weisu-signature']).toBe(expected);

      // DingTalk: the first attempt got a 500, the retry succeeded; both carry a valid sign
      const ding = srv.received.filter((x) => x.path === '/ding');
      expect(ding).toHaveLength(2);
      for (const d of ding) {
        expect(d.body.msgtype).toBe('markdown');
        expect((d.body.markdown as { title: string; text: string }).title).toContain('甲街道办');
        const t = Number(d.query.get('timestamp'));
        expect(Math.abs(t - Date.now())).toBeLessThan(60_000);
        const sign = createHmac('sha256', 'SECdingsecret').update(`${t}\nSECdingsecret`).digest('base64');
        expect(d.query.get('sign')).toBe(sign);
        expect(d.query.get('access_token')).toBe('t');
      }
      const attempts = await store.all<{ recipient_id: string; attempt: number; http_status: number; ok: boolean }>(
        `SELECT recipient_id, attempt, http_status, ok FROM pushes ORDER BY recipient_id, attempt`,
      );
      expect(attempts.filter((a) => a.recipient_id === 's1')).toEqual([
        { recipient_id: 's1', attempt: 1, http_status: 500, ok: false },
        { recipient_id: 's1', attempt: 2, http_status: 200, ok: true },
      ]);

      // a second push sends nothing new
      srv.received.length = 0;
      const again = await pushAll(store, cfg, {
        asOf: '2026-03-01',
        now: '2026-03-01 00:00:00',
        dryRun: false,
        onlyNew: true,
      });
      expect(again.filter((x) => x.format !== null).every((x) => x.items === 0)).toBe(true);
      expect(srv.received).toHaveLength(0);
    } finally {
      await srv.close();
    }
  });

  it('gives each message a link that outlives the deadlines of the items it carries', async () => {
    // a topic item due at the month's end, pushed on the 1st with links of 14 days: the link must still open when
    // the grid worker reports 办结 on the 30th, since a quiet fortnight sends no new message with a fresh link
    const r = raw('http://127.0.0.1:9');
    await generateItems(testContext(store, '2026-03-01', r), { topics: true, hotspots: true });
    const cfg = assignConfig(configFrom(r));
    const asked: Array<[string, string | undefined]> = [];
    await pushAll(store, cfg, {
      asOf: '2026-03-01',
      now: '2026-03-01 00:00:00',
      dryRun: true,
      onlyNew: true,
      link: (id, until) => {
        asked.push([id, until]);
        return null;
      },
    });
    const latest = await store.value<string>(
      `SELECT strftime(max(a.deadline), '%Y-%m-%d %H:%M') FROM assignments a JOIN assignment_recipients r USING (item_id) WHERE r.recipient_id = 'g1'`,
    );
    expect(asked).toContainEqual(['g1', latest]);
    const page = { secret: 'push-test-page-secret-0123', baseUrl: 'https://weisu.example.cn', linkDays: 14 };
    const issued = Date.parse('2026-03-01T00:00:00+08:00');
    const link = pageLinker(configFrom({ ...r, page }), issued)('g1', '2026-03-31 23:59')!;
    const dueSec = Date.parse('2026-03-31T23:59:00+08:00') / 1000;
    expect(verifyKey(page.secret, link.split('/m/')[1], dueSec + 86_400).ok).toBe(true);
    expect(verifyKey(page.secret, link.split('/m/')[1], dueSec + 15 * 86_400).ok).toBe(false);
    // nothing due later than linkDays from now: linkDays from now, as before
    const plain = pageLinker(configFrom({ ...r, page }), issued)('g1')!;
    expect(verifyKey(page.secret, plain.split('/m/')[1], issued / 1000 + 15 * 86_400).ok).toBe(false);
  });

  it('gives up after the bounded retries, records the failure, and pushes again next time', async () => {
    const srv = await webhookServer({ '/wecom': [500, 502, 503] });
    try {
      const r = raw(srv.url);
      await generateItems(testContext(store, '2026-03-01', r), { topics: true, hotspots: true });
      const cfg = assignConfig(configFrom(r));
      const reports = await pushAll(store, cfg, {
        asOf: '2026-03-01',
        now: '2026-03-01 00:00:00',
        dryRun: false,
        onlyNew: true,
        recipientIds: ['g1'],
      });
      expect(reports[0]).toMatchObject({ sent: 0, failed: 1 });
      expect(await store.value<number>(`SELECT count(*) FROM pushes WHERE recipient_id = 'g1' AND NOT ok`)).toBe(3);
      const next = await pushAll(store, cfg, {
        asOf: '2026-03-01',
        now: '2026-03-01 00:00:00',
        dryRun: false,
        onlyNew: true,
        recipientIds: ['g1'],
      });
      expect(next[0]).toMatchObject({ items: 2, sent: 1, failed: 0 });
    } finally {
      await srv.close();
    }
  });

  it('records a network error (nothing listening) as a failed attempt with no status', async () => {
    const srv = await webhookServer({});
    const dead = srv.url;
    await srv.close();
    const r = raw(dead);
    await generateItems(testContext(store, '2026-03-01', r), { topics: true, hotspots: true });
    const reports = await pushAll(store, assignConfig(configFrom(r)), {
      asOf: '2026-03-01',
      now: '2026-03-01 00:00:00',
      dryRun: false,
      onlyNew: true,
      recipientIds: ['g2'],
    });
    expect(reports[0].failed).toBe(1);
    const rows = await store.all<{ http_status: number | null; error: string }>(
      `SELECT http_status, error FROM pushes`,
    );
    expect(rows).toHaveLength(3);
    expect(rows.every((x) => x.http_status === null && /network error/.test(x.error))).toBe(true);
  });

  it('dry run sends and records nothing', async () => {
    const srv = await webhookServer({});
    try {
      const r = raw(srv.url);
      await generateItems(testContext(store, '2026-03-01', r), { topics: true, hotspots: true });
      const reports = await pushAll(store, assignConfig(configFrom(r)), {
        asOf: '2026-03-01',
        now: '2026-03-01 00:00:00',
        dryRun: true,
        onlyNew: true,
      });
      expect(srv.received).toHaveLength(0);
      expect(await store.value<number>(`SELECT count(*) FROM pushes`)).toBe(0);
      const g1 = reports.find((x) => x.recipient === 'g1')!;
      expect(g1.preview?.[0].url).toBe(`${srv.url}/wecom?…`); // the robot key is not printed
      expect(g1.preview?.[0].items).toHaveLength(2);
    } finally {
      await srv.close();
    }
  });

  it('splits a long list into robot-sized messages', async () => {
    const srv = await webhookServer({});
    try {
      const r = raw(srv.url);
      (r.assign.push as Record<string, number>).maxItemsPerMessage = 1;
      await generateItems(testContext(store, '2026-03-01', r), { topics: true, hotspots: true });
      const reports = await pushAll(store, assignConfig(configFrom(r)), {
        asOf: '2026-03-01',
        now: '2026-03-01 00:00:00',
        dryRun: false,
        onlyNew: true,
        recipientIds: ['s1'],
      });
      expect(reports[0]).toMatchObject({ items: 3, messages: 3, sent: 3 });
      expect(
        srv.received
          .map((x) => (x.body.markdown as { text: string }).text.match(/（2026-03-01，(\d)\/3）/)?.[1])
          .sort(),
      ).toEqual(['1', '2', '3']);
    } finally {
      await srv.close();
    }
  });

  it('pushStage (nightly) makes the hotspot items and pushes them once; a re-run sends nothing', async () => {
    const srv = await webhookServer({});
    try {
      const r = raw(srv.url);
      const { pushStage } = await import('../../src/assign/push-stage.js');
      const first = await store.tx(() => pushStage.run(testContext(store, '2026-03-01', r)));
      expect(first).toMatchObject({ hotspot_items: 1, messages_failed: 0 });
      expect(await store.value<number>(`SELECT count(*) FROM assignments WHERE source = 'topic'`)).toBe(0); // topics are the monthly run's
      // the hotspot reaches g1 (grid) and s1 (street); u1 has no webhook
      expect(srv.received.map((x) => x.path).sort()).toEqual(['/ding', '/wecom']);
      expect(first.pushed_items).toBe(2);
      const again = await store.tx(() => pushStage.run(testContext(store, '2026-03-01', r)));
      expect(again).toMatchObject({ hotspot_items: 0, messages_sent: 0, pushed_items: 0 });
      expect(srv.received).toHaveLength(2);
    } finally {
      await srv.close();
    }
  });

  it('dingtalk sign matches the documented algorithm', () => {
    const url = dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=x', 'SECabc', 1700000000000);
    const sign = encodeURIComponent(createHmac('sha256', 'SECabc').update('1700000000000\nSECabc').digest('base64'));
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000&sign=${sign}`);
  });
});
