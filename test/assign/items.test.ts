import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { generateItems } from '../../src/assign/generate.js';
import type { Store } from '../../src/store/db.js';
import { addHotspot, addOrders, addTopic, RECIPIENTS, seedScenario } from './fixture.js';

let store: Store;
let cleanup: () => void;
const raw = { assign: { recipients: RECIPIENTS } };

beforeEach(async () => {
  ({ store, cleanup } = await tempStore());
  await seedScenario(store);
});
afterEach(() => cleanup());

describe('assignment items', () => {
  it('builds hotspot and topic items with deadlines, evidence and masked typical orders', async () => {
    const counts = await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    expect(counts.hotspot_items).toBe(1);
    const items = await store.all<Record<string, unknown>>(
      `SELECT item_id, source, item_type, level, grid_id, street, category, CAST(deadline AS VARCHAR) AS deadline, status, CAST(evidence AS VARCHAR) AS ev, lead_unit FROM assignments ORDER BY source, level, grid_id`,
    );
    const hot = items.find((i) => i.source === 'hotspot')!;
    expect(hot.item_type).toBe('facility');
    expect(hot.deadline).toBe('2026-03-02 00:00:00'); // 24 h
    expect(hot.grid_id).toBe('G1');
    expect(hot.status).toBe('交办');
    const ev = JSON.parse(hot.ev as string);
    expect(ev.orders).toBe(8);
    expect(ev.repeats).toBe(3);
    expect(ev.kinds).toEqual(['hot', 'persistent']);
    expect(ev.typical_orders).toHaveLength(3);
    // where in the cell: the place most of the window's orders point to (幸福路12号北门 and 幸福路20号 are one road)
    expect(ev.address).toBe('幸福路');
    expect(ev.address_orders).toBe(7);
    expect(ev.address_of).toBe(8);
    expect(ev.handler).toBe('grid');
    expect(JSON.stringify(ev)).not.toContain('13812345678');
    expect(JSON.stringify(ev)).toContain('138****5678');

    const topic = items.filter((i) => i.source === 'topic');
    // city item, street 甲 (6 ≥ 5), grids G1 (6) and G2 (4 ≥ 3); street 乙 has 4 < 5
    expect(topic.map((t) => `${t.level}:${t.grid_id ?? t.street ?? ''}`).sort()).toEqual([
      'city:',
      'grid:G1',
      'grid:G2',
      'street:甲街道',
    ]);
    for (const t of topic) expect(t.deadline).toBe('2026-04-01 00:00:00');
    const g1 = topic.find((t) => t.grid_id === 'G1')!;
    const gev = JSON.parse(g1.ev as string);
    expect(gev.orders).toBe(6);
    expect(gev.orders_prev).toBe(2);
    expect(g1.lead_unit).toBe('市城市管理委员会');
    // an area reads as the report writes it: Chinese names run together, no blank between district and street
    const titles = await store.all<{ title: string }>(`SELECT title FROM assignments WHERE source = 'topic'`);
    expect(titles.some((t) => /区甲街道/.test(t.title))).toBe(true);
    for (const t of titles) expect(t.title).not.toMatch(/[\u4e00-\u9fff] [\u4e00-\u9fff]/);
  });

  it('leads an item by a unit this city has: the embedded mapping only where the orders name its units, else the handling department', async () => {
    // the city's own departments: none of them is a unit of the embedded (demo-city) mapping
    await store.exec(
      "UPDATE orders SET dept = CASE WHEN order_id LIKE '%1' THEN '祁连市城北区住建局' ELSE '祁连市热力有限公司' END",
    );
    // (a topic item's lead is the topic candidate's, which the topics stage chose with the same filter)
    await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
    const leads = await store.all<{ lead_unit: string | null }>(
      "SELECT lead_unit FROM assignments WHERE source = 'hotspot'",
    );
    expect(leads.map((l) => l.lead_unit)).toEqual(['祁连市热力有限公司']);
  });

  it('names where a topic item\u2019s orders point to (位置), as a hotspot item does', async () => {
    // February heating orders in grid G1 with addresses: three at 蓝天里 (written three ways), one on 幸福路
    const at = ['东区甲街道蓝天里3号楼2单元', '蓝天里小区12号楼', '蓝天里５号楼', '幸福路8号'];
    await addOrders(
      store,
      at.map((address, i) => ({
        id: `HA-${i}`,
        at: `2026-02-2${i} 10:00:00`,
        category: '城乡建设/供暖/暖气不热',
        cell: 'C1',
        grid: 'G1',
        address,
      })),
    );
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: false });
    const rows = await store.all<{ level: string; grid_id: string | null; evidence: string }>(
      `SELECT level, grid_id, CAST(evidence AS VARCHAR) AS evidence FROM assignments WHERE source = 'topic'`,
    );
    const g1 = JSON.parse(rows.find((r) => r.grid_id === 'G1')!.evidence) as Record<string, unknown>;
    expect(g1).toMatchObject({ address: '蓝天里', address_orders: 3, address_of: 10 });
    // an area none of whose orders has an address names no place
    const g2 = JSON.parse(rows.find((r) => r.grid_id === 'G2')!.evidence) as Record<string, unknown>;
    expect(g2.address).toBeUndefined();
  });

  it('leads an area\u2019s topic item by the topic\u2019s lead where it handles these orders, else by the department that does', async () => {
    // every order of the scenario handled by 东区's own bureau: the topic's lead (市城市管理委员会) handled none of them
    await store.exec("UPDATE orders SET dept = '东区住房和城乡建设局'");
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: false });
    const rows = await store.all<{ level: string; lead_unit: string; co: string }>(
      "SELECT level, lead_unit, CAST(co_units AS VARCHAR) AS co FROM assignments WHERE source = 'topic' ORDER BY level",
    );
    expect(rows.find((r) => r.level === 'city')!.lead_unit).toBe('市城市管理委员会');
    for (const r of rows.filter((x) => x.level !== 'city')) {
      expect(r.lead_unit).toBe('东区住房和城乡建设局');
      expect(r.co).toContain('市城市管理委员会');
    }
    // once the topic's lead handles some of them, it leads there too
    await store.exec(
      "DELETE FROM assignments; UPDATE orders SET dept = '市城市管理委员会' WHERE order_id IN (SELECT order_id FROM orders ORDER BY order_id LIMIT 3)",
    );
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: false });
    const street = await store.one<{ lead_unit: string }>(
      "SELECT lead_unit FROM assignments WHERE source = 'topic' AND level = 'street'",
    );
    expect(street!.lead_unit).toBe('市城市管理委员会');
  });

  it('hands out an all-category hotspot as its dominant category, general unless that category is the majority', async () => {
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C2',
      category: null,
      count: 10,
      z: 2.8,
      kind: 'hot',
      grid: 'G2',
      street: '乙街道',
    });
    // heating is the heating company's (unit only) by default; this city lets its grid workers check it
    const gridHeating = { ...raw, handlers: { categories: { '城乡建设/供暖': 'grid' } } };
    await generateItems(testContext(store, '2026-03-01', gridHeating), { topics: false, hotspots: true });
    const it2 = await store.one<{ category: string; item_type: string; title: string; ev: string }>(
      `SELECT category, item_type, title, CAST(evidence AS VARCHAR) AS ev FROM assignments WHERE cell = 'C2'`,
    );
    expect(it2!.category).toBe('城乡建设/供暖');
    expect(it2!.item_type).toBe('general'); // 4 of 10 orders: not a heating emergency
    expect(it2!.title).toContain('近28天10件，以供暖为主（4件）');
    expect(JSON.parse(it2!.ev).all_categories).toBe(true);
  });

  it('hands out an all-category hotspot with two equally frequent categories as the same one on every run', async () => {
    const orders = [
      ...Array.from({ length: 4 }, (_, i) => ({
        id: `N${i}`,
        at: `2026-02-1${i} 10:00:00`,
        category: '生态环境/噪声污染',
        cell: 'C5',
        grid: 'G2',
      })),
      ...Array.from({ length: 4 }, (_, i) => ({
        id: `K${i}`,
        at: `2026-02-1${i} 11:00:00`,
        category: '交通运输/停车管理',
        cell: 'C5',
        grid: 'G2',
      })),
    ];
    await addOrders(store, orders);
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C5',
      category: null,
      count: 8,
      z: 2.9,
      kind: 'persistent',
      grid: 'G2',
    });
    for (let run = 0; run < 3; run++) {
      await store.exec("DELETE FROM assignments WHERE cell = 'C5'");
      await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
      expect(await store.value<string>("SELECT category FROM assignments WHERE cell = 'C5'")).toBe('交通运输/停车管理');
    }
  });

  it('hands out no hotspot whose orders are mostly outside public governance (负面清单)', async () => {
    await addOrders(
      store,
      Array.from({ length: 6 }, (_, i) => ({
        id: `P${i}`,
        at: `2026-02-1${i} 10:00:00`,
        category: '民事纠纷/邻里纠纷',
        cell: 'C3',
        grid: 'G2',
        outOfScope: i > 0,
      })),
    );
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C3',
      category: '民事纠纷/邻里纠纷',
      count: 6,
      z: 3.0,
      kind: 'hot',
      grid: 'G2',
    });
    await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
    expect(await store.value<number>(`SELECT count(*)::INTEGER FROM assignments WHERE cell = 'C3'`)).toBe(0);
    // the same cell with most of its orders in scope is handed out
    await store.exec(`UPDATE order_flags SET out_of_scope = false WHERE order_id IN ('P1', 'P2', 'P3')`);
    await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
    expect(await store.value<number>(`SELECT count(*)::INTEGER FROM assignments WHERE cell = 'C3'`)).toBe(1);
  });

  it('hands a chronic cell out again only when it grew or its last item is old; hot and new heat always', async () => {
    // C7 holds 4 market-order complaints in each 28-day window from December to February: persistent, never rising
    const days = [
      '2025-12-10',
      '2025-12-15',
      '2025-12-20',
      '2025-12-25',
      '2026-01-06',
      '2026-01-12',
      '2026-01-18',
      '2026-01-24',
      '2026-02-03',
      '2026-02-09',
      '2026-02-15',
      '2026-02-21',
    ];
    await addOrders(
      store,
      days.map((d, i) => ({
        id: `M${i}`,
        at: `${d} 10:00:00`,
        category: '城市管理/市容环境/占道经营',
        cell: 'C7',
        grid: 'G2',
        address: '兴业街市场口',
      })),
    );
    const spot = (asOf: string, kind = 'persistent') =>
      addHotspot(store, { asOf, cell: 'C7', category: '城市管理/市容环境', count: 4, z: 2.6, kind, grid: 'G2' });
    const items = async (asOf: string, extra: Record<string, unknown> = {}) => {
      const c = await generateItems(testContext(store, asOf, { assign: { recipients: RECIPIENTS, hotspot: extra } }), {
        topics: false,
        hotspots: true,
      });
      return {
        c,
        ids: await store.all<{ as_of: string }>(
          `SELECT CAST(as_of AS VARCHAR) AS as_of FROM assignments WHERE cell = 'C7' ORDER BY as_of`,
        ),
      };
    };
    await spot('2026-02-01');
    expect((await items('2026-02-01')).ids.map((r) => r.as_of)).toEqual(['2026-02-01']); // first time: handed out
    await store.exec(`UPDATE assignments SET status = '办结' WHERE cell = 'C7'`);
    await spot('2026-03-01');
    const held = await items('2026-03-01');
    expect(held.ids).toHaveLength(1); // handed out 28 days ago, 4 orders against 4 before: held back
    expect(held.c.hotspot_chronic_held).toBe(1);
    // the same cell is handed out when told to every time, when it grew, or when it is hot now as well
    expect((await items('2026-03-01', { persistentRepeatDays: 0 })).ids).toHaveLength(2);
    await store.exec(`DELETE FROM assignments WHERE cell = 'C7' AND as_of = '2026-03-01'`);
    // grown: 4 → 5 is noise (held), 4 → 13 is not (z = 9 / √17 > 2)
    const more = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `M-more${i}`,
        at: `2026-02-2${i % 8} 1${i % 10}:00:00`,
        category: '城市管理/市容环境/占道经营',
        cell: 'C7',
        grid: 'G2',
      }));
    await addOrders(store, more(1));
    expect((await items('2026-03-01')).ids).toHaveLength(1);
    for (const t of ['orders', 'order_places', 'order_flags'])
      await store.exec(`DELETE FROM ${t} WHERE order_id LIKE 'M-more%'`);
    await addOrders(store, more(9));
    expect((await items('2026-03-01')).ids).toHaveLength(2);
    await store.exec(`DELETE FROM assignments WHERE cell = 'C7' AND as_of = '2026-03-01'`);
    for (const t of ['orders', 'order_places', 'order_flags'])
      await store.exec(`DELETE FROM ${t} WHERE order_id LIKE 'M-more%'`);
    expect((await items('2026-03-01')).ids).toHaveLength(1); // held again
    await spot('2026-03-01', 'hot');
    expect((await items('2026-03-01')).ids).toHaveLength(2);
  });

  it('fills a capped list with new and above-usual heat before chronic cells, whatever their z', async () => {
    await addOrders(
      store,
      Array.from({ length: 4 }, (_, i) => ({
        id: `E${i}`,
        at: `2026-02-2${i} 10:00:00`,
        category: '城市管理/市容环境/占道经营',
        cell: 'C8',
        grid: 'G2',
      })),
    );
    await addOrders(
      store,
      Array.from({ length: 6 }, (_, i) => ({
        id: `Q${i}`,
        at: `2026-02-1${i} 10:00:00`,
        category: '交通运输/停车管理/违章停车',
        cell: 'C6',
        grid: 'G2',
      })),
    );
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C8',
      category: '城市管理/市容环境',
      count: 4,
      z: 2.1,
      kind: 'emerging',
      grid: 'G2',
    });
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C6',
      category: '交通运输/停车管理',
      count: 6,
      z: 5.0,
      kind: 'persistent',
      grid: 'G2',
    });
    const capped = { assign: { recipients: RECIPIENTS, hotspot: { maxItems: 2 } } };
    await generateItems(testContext(store, '2026-03-01', capped), { topics: false, hotspots: true });
    // the streetlight hotspot of C1 (hot and persistent, z 3.1) and the new heat of C8; the chronic C6 is cut
    expect(
      (await store.all<{ cell: string }>(`SELECT cell FROM assignments WHERE source = 'hotspot' ORDER BY cell`)).map(
        (r) => r.cell,
      ),
    ).toEqual(['C1', 'C8']);
  });

  it('routes each item to the grid, street and unit recipients that cover it', async () => {
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    const routes = await store.all<{ recipient_id: string; n: number }>(
      `SELECT recipient_id, count(*)::INT AS n FROM assignment_recipients GROUP BY 1 ORDER BY 1`,
    );
    const by = Object.fromEntries(routes.map((r) => [r.recipient_id, r.n]));
    expect(by.g1).toBe(2); // hotspot C1 + topic grid G1
    expect(by.g2).toBe(1);
    expect(by.s1).toBe(3); // hotspot, topic G1, topic street 甲
    expect(by.u1).toBe(5); // every heating item and the streetlight hotspot (same lead unit)
    // 乙街道 has an item (grid G2) but no configured office: it gets an export-only list; 甲街道 and the unit are configured
    expect(Object.keys(by).filter((k) => k.startsWith('auto-'))).toEqual(['auto-street-东区-乙街道']);
    expect(by['auto-street-东区-乙街道']).toBe(1);
    const none = await generateItems(
      testContext(store, '2026-03-01', { assign: { recipients: RECIPIENTS, autoRecipients: false } }),
      { topics: true, hotspots: true },
    );
    expect(none.routes).toBe(11);
  });

  it('is idempotent: a re-run keeps ids and does not reset status', async () => {
    const ctx = testContext(store, '2026-03-01', raw);
    await generateItems(ctx, { topics: true, hotspots: true });
    const before = await store.all<{ item_id: string }>(`SELECT item_id FROM assignments ORDER BY 1`);
    await store.exec(`UPDATE assignments SET status = '排查' WHERE source = 'hotspot'`);
    const again = await generateItems(ctx, { topics: true, hotspots: true });
    expect(again.hotspot_items).toBe(0);
    expect(again.topic_items).toBe(0);
    const after = await store.all<{ item_id: string; status: string }>(
      `SELECT item_id, status FROM assignments ORDER BY 1`,
    );
    expect(after.map((a) => a.item_id)).toEqual(before.map((b) => b.item_id));
    expect(after.filter((a) => a.status === '排查')).toHaveLength(1);
    expect(await store.value<number>(`SELECT count(*) FROM assignment_recipients`)).toBe(12); // 11 + the auto street office of 乙街道
  });

  it('does not assign an open hotspot twice on the next day, and withdraws an untouched stale topic', async () => {
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    await addHotspot(store, {
      asOf: '2026-03-02',
      cell: 'C1',
      category: '城市管理/路灯照明',
      count: 9,
      z: 3.3,
      grid: 'G1',
    });
    const next = await generateItems(testContext(store, '2026-03-02', raw), { topics: false, hotspots: true });
    expect(next.hotspot_items).toBe(0);
    // leadership changes its mind: the untouched auto items of the old choice go, the new topic's come
    await addTopic(store, '2026-03', '城市管理/路灯照明', { select: true, lead: '市城市管理委员会' });
    const re = await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: false });
    expect(re.topic_withdrawn).toBe(4);
    expect(await store.value<number>(`SELECT count(DISTINCT category) FROM assignments WHERE source = 'topic'`)).toBe(
      1,
    );
  });
});

describe('config', () => {
  it('the shipped example recipients config is valid', async () => {
    const { readFileSync } = await import('node:fs');
    const { assignConfig } = await import('../../src/assign/config.js');
    const { configFrom } = await import('../../src/store/config.js');
    const { dataPath } = await import('../../src/store/paths.js');
    const raw = JSON.parse(readFileSync(dataPath('recipients.example.json'), 'utf8')) as { assign: unknown };
    process.env.WEISU_TOKEN_GRID_001 = 'x'.repeat(20);
    const cfg = assignConfig(configFrom({ assign: raw.assign }));
    expect(cfg.recipients.map((r) => r.kind)).toEqual(['grid', 'street', 'unit']);
  });

  it('rejects a config that covers nothing or lacks a deadline, naming the field', async () => {
    const { assignConfig } = await import('../../src/assign/config.js');
    const { configFrom } = await import('../../src/store/config.js');
    expect(() => assignConfig(configFrom({ assign: { recipients: [{ id: 'a', name: 'A', kind: 'grid' }] } }))).toThrow(
      /配置 assign 部分：接收人 'a' 没有负责范围/,
    );
    expect(() => assignConfig(configFrom({ assign: { deadlines: { general: 24, topic: 'month_end' } } }))).toThrow(
      /缺少 deadlines\.facility（事项类型 'facility' 需要办理时限）/,
    );
    expect(() =>
      assignConfig(
        configFrom({
          assign: {
            recipients: [
              { id: 'a', name: 'A', kind: 'grid', grids: ['x'], webhook: { type: 'slack', url: 'http://x' } },
            ],
          },
        }),
      ),
    ).toThrow(/recipients.0.webhook.type/);
  });

  it('tells a quiet night (the hotspots stage ran and found nothing) from a stage that has not run', async () => {
    const asOf = '2026-05-01';
    const before = await generateItems(testContext(store, asOf, raw), { topics: false, hotspots: true });
    expect(before.hotspot_rows).toBe(0);
    expect(before.hotspot_stage_ran).toBe(0);
    await store.exec(
      `INSERT INTO runs (run_id, pipeline, as_of, started_at, status) VALUES ('r-quiet', 'nightly', DATE '${asOf}', now(), 'ok');
       INSERT INTO run_stages (run_id, stage, started_at, status) VALUES ('r-quiet', 'hotspots', now(), 'ok')`,
    );
    const after = await generateItems(testContext(store, asOf, raw), { topics: false, hotspots: true });
    expect(after.hotspot_stage_ran).toBe(1);
  });
});
