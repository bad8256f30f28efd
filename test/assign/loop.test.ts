import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { packageRoot } from '../../src/store/paths.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenLocal, tempDir, tempStore, testContext } from '../helpers.js';
import { generateItems } from '../../src/assign/generate.js';
import { assignConfig } from '../../src/assign/config.js';
import { board } from '../../src/assign/board.js';
import { exportLists } from '../../src/assign/export.js';
import { importFeedback } from '../../src/assign/feedback-file.js';
import { applyUpdate, transitionError } from '../../src/assign/status.js';
import { createFeedbackServer } from '../../src/assign/server.js';
import { configFrom } from '../../src/store/config.js';
import { UserError } from '../../src/store/errors.js';
import type { Store } from '../../src/store/db.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

let store: Store;
let dbPath: string;
let dir: string;
let cleanup: () => void;
const raw = { assign: { recipients: RECIPIENTS } };
const cfg = assignConfig(configFrom(raw));

beforeEach(async () => {
  ({ store, cleanup, dbPath, dir } = await tempStore());
  await seedScenario(store);
  await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
});
afterEach(() => cleanup());

async function itemOf(where: string): Promise<string> {
  return (await store.value<string>(`SELECT item_id FROM assignments WHERE ${where}`))!;
}

describe('status flow', () => {
  it('allows one step forward, notes, and rework after 办结; rejects skips and going back', () => {
    expect(transitionError('交办', '排查')).toBeNull();
    expect(transitionError('排查', '排查')).toBeNull();
    expect(transitionError('办结', '整改')).toBeNull();
    expect(transitionError('办结', '核验')).toBeNull();
    expect(transitionError('交办', '办结')).toMatch(/不能从 交办 改为 办结（交办 之后只能是：交办、排查）/);
    expect(transitionError('整改', '交办')).toMatch(/^不能从 整改 改为 交办（整改 之后只能是：整改、办结）$/);
    expect(transitionError('核验', '整改')).toMatch(/^不能从 核验 改为 整改（核验 之后只能是：核验）$/);
    expect(transitionError('交办', 'done')).toMatch(/没有 'done' 这个状态（可选：交办 排查 整改 办结 核验）/);
  });

  it('records history and the timestamps the scorecard needs', async () => {
    const id = await itemOf(`source = 'hotspot'`);
    for (const [to, at] of [
      ['排查', '2026-03-01 08:00:00'],
      ['整改', '2026-03-01 12:00:00'],
      ['办结', '2026-03-01 20:00:00'],
      ['核验', '2026-03-02 09:00:00'],
    ] as const) {
      const r = await applyUpdate(store, { itemId: id, to, at, source: 'cli' });
      expect(r.ok).toBe(true);
    }
    const item = await store.one<Record<string, string>>(
      `SELECT status, CAST(acknowledged_at AS VARCHAR) a, CAST(finished_at AS VARCHAR) f, CAST(verified_at AS VARCHAR) v FROM assignments WHERE item_id = $i`,
      { i: id },
    );
    expect(item).toEqual({
      status: '核验',
      a: '2026-03-01 08:00:00',
      f: '2026-03-01 20:00:00',
      v: '2026-03-02 09:00:00',
    });
    expect(await store.value<number>(`SELECT count(*) FROM feedback WHERE item_id = $i`, { i: id })).toBe(4);
    const stale = await applyUpdate(store, { itemId: id, to: '核验', at: '2026-03-01 00:00:00', source: 'cli' });
    expect(stale.ok).toBe(false);
  });
});

describe('colours', () => {
  it('green, yellow past 75% of the time to deadline, red past it; done when finished', async () => {
    const id = await itemOf(`source = 'hotspot'`); // assigned 2026-03-01 00:00, deadline +24 h
    const colour = async (now: string) => (await board(store, now, 0.75, { itemId: id }))[0].colour;
    expect(await colour('2026-03-01 17:59:00')).toBe('green');
    expect(await colour('2026-03-01 18:00:00')).toBe('yellow');
    expect(await colour('2026-03-02 00:00:00')).toBe('red');
    await applyUpdate(store, { itemId: id, to: '排查', at: '2026-03-01 01:00:00', source: 'cli' });
    await applyUpdate(store, { itemId: id, to: '整改', at: '2026-03-01 02:00:00', source: 'cli' });
    await applyUpdate(store, { itemId: id, to: '办结', at: '2026-03-02 03:00:00', source: 'cli' });
    expect(await colour('2026-03-05 00:00:00')).toBe('late');
  });
});

describe('feedback import', () => {
  it('applies a CSV in order, and a re-import changes nothing', async () => {
    const id = await itemOf(`source = 'hotspot'`);
    const file = join(dir, 'fb.csv');
    writeFileSync(
      file,
      `\ufeffitem_id,status,note,at\n${id},排查,"到场, 查看",2026-03-01 09:00\n${id},整改,更换灯泡,2026-03-01T10:00:00+08:00\n`,
    );
    expect(await importFeedback(store, file)).toEqual({ read: 2, applied: 2, duplicates: 0 });
    expect(await importFeedback(store, file)).toEqual({ read: 2, applied: 0, duplicates: 2 });
    const hist = await store.all<{ to_status: string; note: string; line: number }>(
      `SELECT to_status, note, line FROM feedback ORDER BY happened_at`,
    );
    expect(hist).toEqual([
      { to_status: '排查', note: '到场, 查看', line: 2 },
      { to_status: '整改', note: '更换灯泡', line: 3 },
    ]);
  });

  it('rejects an illegal transition naming file, line and field, and keeps nothing of the file', async () => {
    const id = await itemOf(`source = 'hotspot'`);
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([
        { item_id: id, status: '排查', at: '2026-03-01 09:00' },
        { item_id: id, status: '核验', at: '2026-03-01 10:00' },
      ]),
    );
    await expect(importFeedback(store, file)).rejects.toThrow(UserError);
    await expect(importFeedback(store, file)).rejects.toThrow(/bad\.json:2 字段 status：不能从 排查 改为 核验/);
    expect(await store.value<number>(`SELECT count(*) FROM feedback`)).toBe(0);
    expect(await store.value<string>(`SELECT status FROM assignments WHERE item_id = $i`, { i: id })).toBe('交办');
    const f2 = join(dir, 'bad.csv');
    writeFileSync(f2, `item_id,status,at\nNOPE,排查,2026-03-01\n`);
    await expect(importFeedback(store, f2)).rejects.toThrow(/bad\.csv:2 字段 item_id：没有事项 'NOPE'/);
    writeFileSync(f2, `item_id,status,at\n${id},排查,yesterday\n`);
    await expect(importFeedback(store, f2)).rejects.toThrow(/bad\.csv:2 字段 at：'yesterday' 不是日期或时间/);
    writeFileSync(f2, `item_id,status,at\n${id},排查,2999-01-01\n`);
    await expect(importFeedback(store, f2)).rejects.toThrow(/bad\.csv:2 字段 at：'2999-01-01' 晚于现在/);
  });
});

describe('personal numbers in what leaves the store', () => {
  it('masks phone numbers in text but leaves coordinates and order ids whole, and masks feedback notes', async () => {
    // an H3 centre at full precision and an all-digit order id, as real stores hold them: masking the serialised
    // evidence turned "lon":116.40352177462131 into 116.403************31 (invalid JSON) and masked the id
    const id = await itemOf(`source = 'hotspot'`);
    await store.exec(
      `UPDATE assignments SET evidence = json_merge_patch(evidence, '{"lon": 116.40352177462131, "lat": 39.90352177462131, "typical_orders": [{"order_id": "2025110392178", "content": "联系电话13812345678"}]}') WHERE item_id = $i`,
      { i: id },
    );
    const [item] = await board(store, '2026-03-01 00:00:00', 0.75, { itemId: id });
    const ev = item!.evidence as unknown as {
      lon: number;
      lat: number;
      typical_orders: Array<{ order_id: string; content: string }>;
    };
    expect(ev.lon).toBe(116.40352177462131);
    expect(ev.lat).toBe(39.90352177462131);
    expect(ev.typical_orders[0]).toEqual({ order_id: '2025110392178', content: '联系电话138****5678' });
    // a note typed by a grid worker is stored masked
    await applyUpdate(store, {
      itemId: id,
      to: '排查',
      note: '已到现场，联系人电话13912345678',
      at: '2026-03-01 09:00:00',
      source: 'cli',
    });
    expect(await store.value<string>(`SELECT note FROM feedback WHERE item_id = $i`, { i: id })).toBe(
      '已到现场，联系人电话139****5678',
    );
  });
});

describe('export', () => {
  it('writes each recipient only its own items, masked, as CSV, JSON and Markdown', async () => {
    const out = tempDir();
    try {
      const lists = [];
      for (const r of cfg.recipients)
        lists.push({
          id: r.id,
          name: r.name,
          kind: r.kind,
          items: await board(store, '2026-03-01 00:00:00', 0.75, { recipientId: r.id }),
        });
      exportLists(out.dir, '2026-03-01', lists);
      const g2 = JSON.parse(readFileSync(join(out.dir, 'g2.json'), 'utf8')) as {
        items: Array<{ grid_id: string; item_id: string }>;
      };
      expect(g2.items.map((i) => i.grid_id)).toEqual(['G2']);
      const g1csv = readFileSync(join(out.dir, 'g1.csv'), 'utf8');
      expect(g1csv.trim().split('\r\n')).toHaveLength(3); // header + 2 items
      expect(g1csv).not.toContain('G2');
      expect(g1csv).toContain('138****5678');
      for (const f of ['g1.csv', 'g1.json', 'g1.md', 's1.md', 'u1.json'])
        expect(readFileSync(join(out.dir, f), 'utf8')).not.toMatch(/1[3-9]\d{9}/);
      const md = readFileSync(join(out.dir, 'g1.md'), 'utf8');
      expect(md).toContain('# 网格员张三 交办清单（截至 2026-03-01）');
      expect(md).toContain('共 2 项');
      // the hotspot row says where to go; the topic row has no single address
      expect(md).toMatch(/\| 幸福路（7\/8件） \|/);
      expect(md).toMatch(/\| — \|/);
      const header = g1csv
        .split('\r\n')[0]
        .replace(/^\ufeff/, '')
        .split(',');
      expect(header.at(-1)).toBe('address');
      expect(g1csv).toContain('幸福路');
      const g2ids = new Set(g2.items.map((i) => i.item_id));
      for (const id of g2ids) expect(md).not.toContain(id);
    } finally {
      out.cleanup();
    }
  });
});

describe('serve', () => {
  it('authenticates by token, shows and updates only own items (401/403), and releases the store between requests', async () => {
    store.close();
    const server = createFeedbackServer({ dbPath, cfg, now: () => '2026-03-01 12:00:00', lockWaitMs: 200 });
    const { base } = await listenLocal(server);
    const call = (path: string, token: string | null, init: RequestInit = {}) =>
      fetch(base + path, {
        ...init,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      });
    try {
      expect((await call('/items', null)).status).toBe(401);
      expect((await call('/items', 'wrong-token-000000000000')).status).toBe(401);
      const g1 = (await (await call('/items', RECIPIENTS[0].token)).json()) as {
        items: Array<{ item_id: string; grid_id: string; colour: string }>;
      };
      expect(g1.items).toHaveLength(2);
      expect(g1.items.every((i) => i.grid_id === 'G1')).toBe(true);
      const g2 = (await (await call('/items', RECIPIENTS[1].token)).json()) as { items: Array<{ item_id: string }> };
      const foreign = g2.items[0].item_id;
      expect((await call(`/items/${foreign}`, RECIPIENTS[0].token)).status).toBe(403);
      expect(
        (
          await call(`/items/${foreign}/status`, RECIPIENTS[0].token, {
            method: 'POST',
            body: JSON.stringify({ status: '排查' }),
          })
        ).status,
      ).toBe(403);
      const own = g1.items.find((i) => i.item_id.startsWith('H-'))!.item_id;
      const ok = await call(`/items/${own}/status`, RECIPIENTS[0].token, {
        method: 'POST',
        body: JSON.stringify({ status: '排查', note: '已到场' }),
      });
      expect(ok.status).toBe(201);
      const illegal = await call(`/items/${own}/status`, RECIPIENTS[0].token, {
        method: 'POST',
        body: JSON.stringify({ status: '办结' }),
      });
      expect(illegal.status).toBe(409);
      expect(((await illegal.json()) as { error: string }).error).toMatch(/不能从 排查 改为 办结/);
      // the grid worker cannot verify its own work
      await call(`/items/${own}/status`, RECIPIENTS[0].token, {
        method: 'POST',
        body: JSON.stringify({ status: '整改' }),
      });
      await call(`/items/${own}/status`, RECIPIENTS[0].token, {
        method: 'POST',
        body: JSON.stringify({ status: '办结' }),
      });
      expect(
        (
          await call(`/items/${own}/status`, RECIPIENTS[0].token, {
            method: 'POST',
            body: JSON.stringify({ status: '核验' }),
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(`/items/${own}/status`, RECIPIENTS[2].token, {
            method: 'POST',
            body: JSON.stringify({ status: '核验' }),
          })
        ).status,
      ).toBe(201);
      const detail = (await (await call(`/items/${own}`, RECIPIENTS[2].token)).json()) as {
        item: { status: string; colour: string };
        history: Array<{ to_status: string; recipient_id: string }>;
      };
      expect(detail.item.status).toBe('核验');
      expect(detail.history.map((h) => `${h.recipient_id}:${h.to_status}`)).toEqual([
        'g1:排查',
        'g1:整改',
        'g1:办结',
        's1:核验',
      ]);

      // between requests the file is free: another process (here: this one) can open it for writing
      const { Store } = await import('../../src/store/db.js');
      const other = await Store.open(dbPath);
      expect(await other.value<number>(`SELECT count(*) FROM feedback WHERE source = 'http'`)).toBe(4);
      other.close();
      // while another process holds the file (as the nightly run does), a request waits, then answers 503
      const holder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(${JSON.stringify(dbPath)}); await i.connect(); console.log('ready'); setTimeout(() => {}, 4000);`,
        ],
        { cwd: packageRoot },
      );
      await new Promise<void>((res, rej) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && res());
        holder.on('exit', (c) => rej(new Error('holder exited ' + c)));
      });
      const busy = await call('/items', RECIPIENTS[0].token);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('30');
      holder.kill();
      await new Promise((r) => holder.once('exit', r));
      expect((await call('/items', RECIPIENTS[0].token)).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('feedback simulate (demo only)', () => {
  it('plays legal, deterministic, clearly marked updates, and a second run adds nothing', async () => {
    const { simulateFeedback } = await import('../../src/assign/simulate.js');
    const first = await simulateFeedback(store, '2026-04-15', 3);
    expect(first.items).toBe(5);
    expect(first.updates).toBeGreaterThan(5);
    const hist = await store.all<{ source: string; note: string }>(`SELECT source, note FROM feedback`);
    expect(hist.every((h) => h.source === 'simulated' && h.note.includes('模拟'))).toBe(true);
    const snapshot = await store.all(
      `SELECT item_id, status, CAST(finished_at AS VARCHAR) f FROM assignments ORDER BY 1`,
    );
    expect((await simulateFeedback(store, '2026-04-15', 3)).updates).toBe(0);
    expect(
      await store.all(`SELECT item_id, status, CAST(finished_at AS VARCHAR) f FROM assignments ORDER BY 1`),
    ).toEqual(snapshot);
    // every step in the history is a legal transition
    const steps = await store.all<{ from_status: string; to_status: string }>(
      `SELECT from_status, to_status FROM feedback`,
    );
    for (const s of steps) expect(transitionError(s.from_status, s.to_status)).toBeNull();
  });
});
