/// <reference lib="dom" />
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latLngToCell } from 'h3-js';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { board } from '../../src/assign/board.js';
import { assignConfig } from '../../src/assign/config.js';
import { writeScorecard } from '../../src/assign/effect.js';
import { generateItems } from '../../src/assign/generate.js';
import { pageLink } from '../../src/assign/page/config.js';
import { renderPage } from '../../src/assign/page/render.js';
import { createFeedbackServer } from '../../src/assign/server.js';
import type { Boundary } from '../../src/spatial/boundaries.js';
import { configFrom } from '../../src/store/config.js';
import { Store } from '../../src/store/db.js';
import { listenLocal, tempStore, testContext } from '../helpers.js';
import { CHROMIUM } from '../report/chromium.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

// A grid worker's whole loop in a real browser at a phone's size: open the link from the message, see the items,
// report 排查 → 整改 → 办结 with notes, and find it in the store and the unit's scorecard. CI installs Debian's chromium;
// only where it is truly absent is this skipped (and says so).
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`page-browser.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const SECRET = 'browser-test-page-secret-0123456789';
const raw = { assign: { recipients: RECIPIENTS } };
const cfg = assignConfig(configFrom(raw));
const CELL = latLngToCell(39.9, 116.4, 8);
const STREET: Boundary = {
  index: 0,
  name: '甲街道',
  parent: '东区',
  polygons: [
    [
      [
        [116.385, 39.885],
        [116.415, 39.888],
        [116.412, 39.915],
        [116.388, 39.912],
        [116.385, 39.885],
      ],
    ],
  ],
  bbox: [116.385, 39.885, 116.415, 39.915],
};

describe.skipIf(!HAVE_CHROMIUM)('phone page in Chromium', () => {
  let dbPath: string;
  let cleanup: () => void;
  let base: string;
  let server: ReturnType<typeof createFeedbackServer>;
  let context: BrowserContext;
  let profile: string;
  let own: { item_id: string; lead_unit: string | null };
  let foreign: string;
  const external: string[] = [];

  beforeAll(async () => {
    let store: Store;
    ({ store, dbPath, cleanup } = await tempStore());
    await seedScenario(store);
    await generateItems(testContext(store, '2026-03-01', raw), { topics: true, hotspots: true });
    // the fixture's cells are labels; give the hotspot item a real H3 cell so its map is drawn
    await store.exec(`UPDATE assignments SET cell = $c WHERE source = 'hotspot'`, { c: CELL });
    const g1 = await board(store, '2026-03-01 12:00:00', cfg.yellowAt, { recipientId: 'g1' });
    own = g1.find((i) => i.source === 'hotspot')!;
    foreign = (await board(store, '2026-03-01 12:00:00', cfg.yellowAt, { recipientId: 'g2' }))[0].item_id;
    store.close();
    const page = { secret: SECRET, baseUrl: null, linkDays: 14, streets: [STREET] };
    server = createFeedbackServer({ dbPath, cfg, now: () => '2026-03-01 12:00:00', lockWaitMs: 2000, page });
    ({ base } = await listenLocal(server));
    profile = mkdtempSync(join(tmpdir(), 'weisu-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    context.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (profile) rmSync(profile, { recursive: true, force: true });
    cleanup?.();
  });

  const link = () => base + pageLink({ secret: SECRET, baseUrl: null, linkDays: 14 }, 'g1', Date.now());

  async function report(page: Page, to: string, note: string): Promise<void> {
    const card = page.locator(`#i-${own.item_id}`);
    await card.locator('textarea').fill(note);
    await Promise.all([page.waitForURL(/done=/), card.getByRole('button', { name: to, exact: true }).click()]);
    await expect.poll(() => card.locator('.status').textContent()).toBe(to);
  }

  it('opens from the link, fits the phone, and reports 排查 → 整改 → 办结 into the store and the scorecard', async () => {
    const page = await context.newPage();
    const res = await page.goto(link(), { waitUntil: 'load' });
    expect(res!.status()).toBe(200);
    expect((await res!.body()).length).toBeLessThanOrEqual(100_000);
    const paint = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? performance.now(),
    );
    expect(paint).toBeLessThan(1000);
    // nothing wider than the screen, every item there, the map drawn inline
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expect.poll(() => page.locator('section.item').count()).toBe(2);
    await expect.poll(() => page.locator(`#i-${own.item_id} svg.map path`).count()).toBe(2);
    expect(await page.locator(`#i-${own.item_id}`).innerText()).toContain('位置：幸福路（7/8件）');
    if (process.env.PAGE_SHOT) {
      await page.screenshot({ path: process.env.PAGE_SHOT, fullPage: true });
      console.log(`first contentful paint ${paint.toFixed(0)} ms, ${(await res!.body()).length} bytes`);
    }
    await report(page, '排查', '已到现场，路灯不亮属实');
    await report(page, '整改', '已报修，更换灯具中');
    // 办结 without a note is stopped on the phone before anything is sent
    const card = page.locator(`#i-${own.item_id}`);
    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: '办结', exact: true }).click();
    expect(await card.locator('.status').textContent()).toBe('整改');
    await report(page, '办结', '灯具已更换，夜间复查正常');
    expect(await page.locator('.flash').innerText()).toContain('已回传「办结」');
    expect(external).toEqual([]);

    const store = await Store.open(dbPath);
    try {
      const history = await store.all<{ to_status: string; note: string; source: string; recipient_id: string }>(
        `SELECT to_status, note, source, recipient_id FROM feedback WHERE item_id = $i ORDER BY happened_at, recorded_at`,
        { i: own.item_id },
      );
      expect(history.map((h) => h.to_status)).toEqual(['排查', '整改', '办结']);
      expect(history.every((h) => h.source === 'http' && h.recipient_id === 'g1')).toBe(true);
      expect(history[2].note).toBe('灯具已更换，夜间复查正常');
      await writeScorecard(store, cfg, '2026-03-02');
      const row = await store.one<{ finished: number; acknowledged_on_time: number; returned_on_time: number }>(
        `SELECT finished, acknowledged_on_time, returned_on_time FROM scorecard WHERE as_of = '2026-03-02' AND unit = $u AND month = '2026-03'`,
        { u: own.lead_unit },
      );
      expect(row).toMatchObject({ finished: 1, acknowledged_on_time: 1, returned_on_time: 1 });
    } finally {
      store.close();
    }
  }, 30_000);

  it('refuses a forged or expired link and another recipient’s item, in Chinese', async () => {
    const page = await context.newPage();
    const good = link();
    const forged = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    expect((await page.goto(forged))!.status()).toBe(403);
    expect(await page.locator('body').innerText()).toContain('链接无效');
    const expired = base + pageLink({ secret: SECRET, baseUrl: null, linkDays: 1 }, 'g1', Date.now() - 2 * 86_400_000);
    expect((await page.goto(expired))!.status()).toBe(403);
    expect(await page.locator('body').innerText()).toContain('链接已过期');
    expect((await page.goto(`${good}/items/${foreign}`))!.status()).toBe(403);
    expect(await page.locator('body').innerText()).toContain('该事项不属于您');
    // and the page of one's own never lists it
    await page.goto(good);
    expect(await page.locator(`#i-${foreign}`).count()).toBe(0);
  }, 20_000);
  it('wraps long unbroken names and texts (an export\u2019s codes, a URL in a complaint) within the phone\u2019s width', async () => {
    const long = 'Public_Works_Department_Street_Cleaning_Request_Type';
    const heavy = {
      item_id: 'H-long',
      source: 'hotspot' as const,
      item_type: 'general',
      level: 'grid' as const,
      as_of: '2026-03-01',
      month: null,
      cell: CELL,
      grid_id: 'G1',
      district: '东区',
      street: '甲街道',
      lead_unit: 'X',
      co_units: [],
      assigned_at: '2026-03-01 00:00',
      deadline: '2026-03-08 00:00',
      status: '交办',
      status_at: '2026-03-01 00:00',
      colour: 'green' as const,
      category: `${long}/${long}`,
      title: `${long}热点`,
      evidence: {
        window_start: '2026-02-01',
        window_end: '2026-03-01',
        orders: 5,
        orders_prev: 1,
        repeats: 0,
        address: 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN',
        address_orders: 3,
        address_of: 5,
        typical_orders: [{ order_id: 'o', day: '2026-02-20', content: `见 http://example.com/${'a'.repeat(60)}` }],
      },
    };
    const page = await context.newPage();
    await page.setContent(
      renderPage({ id: 'g1', name: `Grid_worker_${long}`, kind: 'grid' }, [heavy], 'k', { streets: null }, {}),
    );
    await page
      .locator('details')
      .first()
      .evaluate((d) => ((d as HTMLDetailsElement).open = true));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});
