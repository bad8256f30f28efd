import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellToBoundary, latLngToCell } from 'h3-js';
import { assignConfig } from '../../src/assign/config.js';
import { generateItems } from '../../src/assign/generate.js';
import { buildMessages } from '../../src/assign/messages.js';
import { board } from '../../src/assign/board.js';
import { pageLink, pageLinker } from '../../src/assign/page/config.js';
import { signKey, verifyKey } from '../../src/assign/page/link.js';
import { cellMap } from '../../src/assign/page/map.js';
import { PER_PAGE, renderPage } from '../../src/assign/page/render.js';
import { createFeedbackServer } from '../../src/assign/server.js';
import type { Boundary } from '../../src/spatial/boundaries.js';
import { configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';
import { listenLocal, tempStore, testContext } from '../helpers.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

const SECRET = 'page-secret-for-tests-0123456789';
const NOW_MS = Date.parse('2026-03-01T04:00:00Z');
const raw = { assign: { recipients: RECIPIENTS } };
const cfg = assignConfig(configFrom(raw));

describe('page links', () => {
  it('open one recipient until they expire; a changed recipient, expiry or signature is refused', () => {
    const key = signKey(SECRET, 'g1', 2_000_000_000);
    expect(verifyKey(SECRET, key, 1_900_000_000)).toEqual({ ok: true, recipientId: 'g1', expiresAt: 2_000_000_000 });
    expect(verifyKey(SECRET, key, 2_000_000_001)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyKey('another-secret-0123456789', key, 1_900_000_000).ok).toBe(false);
    const [, exp, sig] = key.split('.');
    const other = Buffer.from('g2').toString('base64url');
    expect(verifyKey(SECRET, `${other}.${exp}.${sig}`, 1_900_000_000)).toEqual({ ok: false, reason: 'forged' });
    // a longer life is a forgery too, not an expiry question
    const later = (3_000_000_000).toString(36);
    expect(verifyKey(SECRET, `${key.split('.')[0]}.${later}.${sig}`, 1_900_000_000).ok).toBe(false);
    expect(verifyKey(SECRET, 'nonsense', 1).ok).toBe(false);
    // a recipient id with Chinese (the automatic street recipients) survives the round trip
    const auto = signKey(SECRET, 'auto-street-河东区-桃园街道', 2_000_000_000);
    expect(verifyKey(SECRET, auto, 1)).toMatchObject({ ok: true, recipientId: 'auto-street-河东区-桃园街道' });
  });

  it('are what the push carries, never the API token; without a secret or address there is none', () => {
    const config = configFrom({ ...raw, page: { secret: SECRET, baseUrl: 'https://weisu.example.cn/' } });
    const link = pageLinker(config, NOW_MS)('g1')!;
    expect(link).toMatch(/^https:\/\/weisu\.example\.cn\/m\/[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(pageLinker(configFrom(raw), NOW_MS)('g1')).toBeNull();
    expect(link).not.toContain(RECIPIENTS[0].token);
  });
});

describe('cell map', () => {
  it('draws the cell inside its street from the boundary file, and nothing for a cell that is no H3 cell', () => {
    const cell = latLngToCell(39.9, 116.4, 8);
    const street: Boundary = {
      index: 0,
      name: '幸福街道',
      parent: '北城区',
      polygons: [
        [
          [
            [116.38, 39.88],
            [116.42, 39.88],
            [116.42, 39.92],
            [116.38, 39.92],
            [116.38, 39.88],
          ],
        ],
      ],
      bbox: [116.38, 39.88, 116.42, 39.92],
    };
    const svg = cellMap(cell, '幸福街道', '北城区', [street]);
    expect(svg).toContain('aria-label="幸福街道内的热点区块"');
    const paths = [...svg.matchAll(/d="M([^"]+)Z"/g)].map((m) => m[1].split('L').map((p) => p.split(' ').map(Number)));
    expect(paths).toHaveLength(2);
    const [outline, target] = paths;
    // the cell lies inside the street's outline on the drawing, as it does on the ground
    const [xs, ys] = [outline.map((p) => p[0]), outline.map((p) => p[1])];
    for (const [x, y] of target) {
      expect(x).toBeGreaterThanOrEqual(Math.min(...xs));
      expect(x).toBeLessThanOrEqual(Math.max(...xs));
      expect(y).toBeGreaterThanOrEqual(Math.min(...ys));
      expect(y).toBeLessThanOrEqual(Math.max(...ys));
    }
    expect(target).toHaveLength(cellToBoundary(cell).length);
    // without boundaries: the cell among its neighbours
    expect(cellMap(cell, '幸福街道', null, null)).toContain('热点区块及周边');
    expect(cellMap('C1', null, null, null)).toBe('');
  });
});

describe('page size', () => {
  it('pages a long list, PER_PAGE items at a time, red ones first, each page well under 100 KB', () => {
    const cell = latLngToCell(39.9, 116.4, 8);
    const items = Array.from({ length: 70 }, (_, k) => ({
      item_id: `H-${String(k).padStart(4, '0')}`,
      source: 'hotspot' as const,
      item_type: 'general',
      level: 'street' as const,
      as_of: '2026-03-01',
      month: null,
      category: '城市管理/市容环境',
      cell,
      grid_id: null,
      district: '东区',
      street: '甲街道',
      title: `东区 甲街道：市容环境热点，近28天${k}件，限7天内处置`,
      evidence: {
        window_start: '2026-02-01',
        window_end: '2026-03-01',
        orders: 9,
        orders_prev: 3,
        repeats: 1,
        address: '蓝天里',
        address_orders: 6,
        address_of: 9,
        typical_orders: [{ order_id: 'o1', day: '2026-02-20', content: '垃圾堆放多日无人清运'.repeat(4) }],
      },
      lead_unit: '区城管局',
      co_units: [],
      assigned_at: '2026-03-01 00:00',
      deadline: '2026-03-08 00:00',
      status: '交办',
      status_at: '2026-03-01 00:00',
      colour: (k === 69 ? 'red' : 'green') as 'red' | 'green',
    }));
    // board() orders red first; the page keeps that order
    const ordered = [items[69], ...items.slice(0, 69)];
    const who = { id: 'u1', name: '区城管局', kind: 'unit' };
    const pages = [1, 2, 3].map((p) => renderPage(who, ordered, 'k', { streets: null }, {}, p));
    expect(pages.map((h) => (h.match(/<section class="item/g) ?? []).length)).toEqual([PER_PAGE, PER_PAGE, 10]);
    expect(pages[0]).toContain('id="i-H-0069"');
    expect(pages[0]).toContain('第 1/3 页');
    for (const h of pages) expect(Buffer.byteLength(h)).toBeLessThan(100_000);
    // a page number out of range shows the nearest page
    expect(renderPage(who, ordered, 'k', { streets: null }, {}, 99)).toContain('第 3/3 页');
  });

  it('keeps every page under 100 KB when items are heavy: long English names, long typical orders, maps', () => {
    // a real export's worst: Boston-style level names and areas, three typical orders clipped at 80 characters, a
    // 40-character place, and the neighbour map a city without street boundaries gets (PER_PAGE of these: 117 KB)
    const longText = '市民反映小区楼下垃圾堆积发臭无人清运多次反映没有解决'.repeat(4).slice(0, 80) + '…';
    const heavy = Array.from({ length: 65 }, (_, k) => ({
      item_id: `H-${String(k).padStart(12, '0')}`,
      source: 'hotspot' as const,
      item_type: 'general',
      level: 'grid' as const,
      as_of: '2026-06-01',
      month: null,
      category: 'Transportation - Traffic Division/Signs & Signals/Sign Repair Request',
      cell: latLngToCell(42.3 + k * 0.01, -71.06, 8),
      grid_id: `WARD4-PRECINCT-${k}`,
      district: 'Fenway / Kenmore / Audubon Circle / Longwood',
      street: 'Ward 4',
      title: `Fenway / Kenmore / Audubon Circle / Longwood Ward 4：诉求新发热点、热点，近28天${k}件，以Sign Repair Request为主（84件），限7天内处置`,
      evidence: {
        window_start: '2026-05-04',
        window_end: '2026-06-01',
        orders: 114,
        orders_prev: 40,
        repeats: 9,
        typical_orders: [1, 2, 3].map((i) => ({ order_id: `o${i}`, day: `2026-05-2${i}`, content: longText })),
        address: '幸福路与建设大街交叉口东北角'.padEnd(40, '号'),
        address_orders: 74,
        address_of: 114,
      },
      lead_unit: 'PWDx',
      co_units: [],
      assigned_at: '2026-06-01 00:00',
      deadline: '2026-06-08 00:00',
      status: '交办',
      status_at: '2026-06-01 00:00',
      colour: 'green' as const,
    }));
    const who = { id: 's1', name: 'Fenway Ward 4 office', kind: 'street' };
    const first = renderPage(who, heavy, 'k'.repeat(60), { streets: null }, {}, 1);
    const pages = Number(/第 1\/(\d+) 页/.exec(first)?.[1]);
    const all = Array.from({ length: pages }, (_, i) =>
      renderPage(who, heavy, 'k'.repeat(60), { streets: null }, {}, i + 1),
    );
    for (const h of all) expect(Buffer.byteLength(h)).toBeLessThanOrEqual(100_000);
    // every item is on exactly one page, in order
    const ids = all.flatMap((h) => [...h.matchAll(/<section class="item[^"]*" id="i-([^"]+)"/g)].map((m) => m[1]));
    expect(ids).toEqual(heavy.map((i) => i.item_id));
  });
});

describe('phone page over HTTP', () => {
  let store: Store;
  let dbPath: string;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ store, dbPath, cleanup } = await tempStore());
    await seedScenario(store);
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
  });
  afterEach(() => cleanup());

  it('shows only own items, takes a report by form, and refuses forged, expired and foreign requests in Chinese', async () => {
    const g1Items = await board(store, '2026-03-01 12:00:00', cfg.yellowAt, { recipientId: 'g1' });
    const g2Items = await board(store, '2026-03-01 12:00:00', cfg.yellowAt, { recipientId: 'g2' });
    // the message a grid worker receives carries the link
    const link = pageLink({ secret: SECRET, baseUrl: null, linkDays: 14 }, 'g1', Date.now());
    const [msg] = buildMessages('wecom', { id: 'g1', name: '网格员张三' }, '2026-03-01', g1Items, 20, link);
    expect(JSON.stringify(msg.body)).toContain(link);
    store.close();
    const page = { secret: SECRET, baseUrl: null, linkDays: 14, streets: null };
    const server = createFeedbackServer({ dbPath, cfg, now: () => '2026-03-01 12:00:00', lockWaitMs: 200, page });
    const { base } = await listenLocal(server);
    try {
      const res = await fetch(base + link);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(Buffer.byteLength(html)).toBeLessThan(100_000);
      for (const it of g1Items) expect(html).toContain(it.item_id);
      for (const it of g2Items) expect(html).not.toContain(it.item_id);
      expect(html).not.toMatch(/1[3-9]\d{9}/);
      const own = g1Items.find((i) => i.item_id.startsWith('H-'))!.item_id;
      const post = (id: string, form: Record<string, string>, path = link) =>
        fetch(`${base}${path}/items/${id}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
      const ok = await post(own, { status: '排查', note: '已到场' });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toContain('done=');
      // a step skipped, and a foreign item, are refused with the reason in Chinese
      const skip = await post(own, { status: '办结', note: '修好了' });
      expect(skip.status).toBe(409);
      // refused on the worker's own list, with the item as it is now and its buttons — not a dead end
      const skipped = await skip.text();
      expect(skipped).toContain('当前状态为「排查」');
      expect(skipped).not.toContain('无法打开');
      expect(skipped).toContain(`id="i-${own}"`);
      const foreign = await post(g2Items[0].item_id, { status: '排查' });
      expect(foreign.status).toBe(403);
      expect(await foreign.text()).toContain('该事项不属于您');
      expect((await fetch(`${base}${link}/items/${g2Items[0].item_id}`)).status).toBe(403);
      // one item's own page says it is one item and leads back to the list, not 待办 0 项 for a list of one
      const one = await (await fetch(`${base}${link}/items/${own}`)).text();
      expect(one).toContain(`href="${link}"`);
      expect(one).not.toMatch(/待办 \d+ 项/);
      // 办结 needs a note
      await post(own, { status: '整改' });
      expect((await post(own, { status: '办结' })).status).toBe(400);
      expect((await post(own, { status: '办结', note: '已修复' })).status).toBe(303);
      // the grid worker cannot verify their own work; the unit can, from its own link
      const selfCheck = await post(own, { status: '核验' });
      expect(selfCheck.status).toBe(403);
      expect(await selfCheck.text()).toContain('网格员不能核验');
      const unitLink = pageLink({ secret: SECRET, baseUrl: null, linkDays: 14 }, 'u1', Date.now());
      const unitPage = await (await fetch(base + unitLink)).text();
      expect(unitPage).toContain('核验通过');
      expect((await post(own, { status: '核验' }, unitLink)).status).toBe(303);
      const forged = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
      const bad = await fetch(base + forged);
      expect(bad.status).toBe(403);
      expect(await bad.text()).toContain('链接无效');
      const expired = pageLink({ secret: SECRET, baseUrl: null, linkDays: 14 }, 'g1', Date.now() - 15 * 86_400_000);
      const old = await fetch(base + expired);
      expect(old.status).toBe(403);
      expect(await old.text()).toContain('链接已过期');
      // a link cut or garbled in the message (bad percent-encoding) is answered on the page, in Chinese
      const garbled = await fetch(`${base}/m/%E0%A4%A`);
      expect(garbled.status).toBe(400);
      expect(garbled.headers.get('content-type')).toMatch(/text\/html/);
      expect(await garbled.text()).toContain('链接不完整');
      // the JSON API is still there, with its token
      expect((await fetch(base + '/items')).status).toBe(401);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('tells a grid worker with an empty list what is missing: a grid id the city has not, or no grid boundaries', async () => {
    const withStray = {
      assign: {
        recipients: [
          ...RECIPIENTS,
          { id: 'g9', name: '网格员王五', kind: 'grid', grids: ['G99'], token: 'token-grid-nine-012345' },
        ],
      },
    };
    await generateItems(testContext(store, '2026-03-01', withStray), { topics: true, hotspots: true });
    store.close();
    const page = { secret: SECRET, baseUrl: null, linkDays: 14, streets: null };
    const server = createFeedbackServer({ dbPath, cfg, now: () => '2026-03-01 12:00:00', lockWaitMs: 2000, page });
    const { base } = await listenLocal(server);
    const open = async (rid: string) =>
      (await fetch(base + pageLink({ secret: SECRET, baseUrl: null, linkDays: 14 }, rid, Date.now()))).text();
    try {
      const stray = await open('g9');
      expect(stray).toContain('目前没有交办给您的事项');
      expect(stray).toContain('G99');
      expect(stray).toContain('没有找到');
      // a city placed without grid boundaries: no order has a grid, so no grid worker ever gets an item
      const { Store: S } = await import('../../src/store/db.js');
      const s = await S.open(dbPath);
      await s.exec(`UPDATE order_places SET grid_id = NULL`);
      s.close();
      const noGrids = await open('g9');
      expect(noGrids).toContain('未配置网格边界');
      expect(noGrids).toContain('spatial.boundaries.grids');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('takes the same form sent twice or at once (a double tap, a retry on a weak signal) as one report, not an error', async () => {
    const own = (await board(store, '2026-03-01 12:00:00', cfg.yellowAt, { recipientId: 'g1' })).find((i) =>
      i.item_id.startsWith('H-'),
    )!.item_id;
    store.close();
    const page = { secret: SECRET, baseUrl: null, linkDays: 14, streets: null };
    const server = createFeedbackServer({ dbPath, cfg, now: () => '2026-03-01 12:00:00', lockWaitMs: 2000, page });
    const { base } = await listenLocal(server);
    const link = pageLink({ secret: SECRET, baseUrl: null, linkDays: 14 }, 'g1', Date.now());
    try {
      // the form as the page renders it, hidden fields and all
      const formOf = async () => {
        const html = await (await fetch(base + link)).text();
        const card = html.slice(html.indexOf(`id="i-${own}"`));
        const form = card.slice(0, card.indexOf('</form>'));
        return Object.fromEntries(
          [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]),
        );
      };
      const post = (form: Record<string, string>) =>
        fetch(`${base}${link}/items/${own}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
      const first = await formOf();
      const twice = [await post({ ...first, status: '排查', note: '已到场' })];
      twice.push(await post({ ...first, status: '排查', note: '已到场' }));
      expect(twice.map((r) => r.status)).toEqual([303, 303]);
      expect(twice[1].headers.get('location')).toContain(`done=${encodeURIComponent('排查')}`);
      // the next step's form, sent three times at once: one 整改, three answers that say it was taken
      const second = await formOf();
      const burst = await Promise.all([1, 2, 3].map(() => post({ ...second, status: '整改', note: '报修' })));
      expect(burst.map((r) => r.status)).toEqual([303, 303, 303]);
      // a form's key holds for the step it was sent with: an old form sent with the next step is that step
      expect((await post({ ...first, status: '办结', note: '修好了' })).status).toBe(303);
      expect((await post({ ...first, status: '核验' })).status).toBe(403);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const { Store: S } = await import('../../src/store/db.js');
    const s = await S.open(dbPath);
    try {
      const rows = await s.all<{ to_status: string }>(
        `SELECT to_status FROM feedback WHERE item_id = $i ORDER BY recorded_at`,
        { i: own },
      );
      expect(rows.map((r) => r.to_status)).toEqual(['排查', '整改', '办结']);
    } finally {
      s.close();
    }
  });
});
