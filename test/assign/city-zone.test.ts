import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenLocal, tempStore, testContext } from '../helpers.js';
import { generateItems } from '../../src/assign/generate.js';
import { assignConfig } from '../../src/assign/config.js';
import { board, localNow } from '../../src/assign/board.js';
import { readFeedbackFile } from '../../src/assign/feedback-file.js';
import { pageLink } from '../../src/assign/page/config.js';
import { parseAt } from '../../src/assign/status.js';
import { createFeedbackServer } from '../../src/assign/server.js';
import { cityTimeZone, configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

// Items assigned 2026-03-01 00:00 local and due at 18:00 local the same day; Toronto is on EST (UTC-5) then.
// yellowAt 0.75 of 18 h: yellow from 13:30 local, red from 18:00 local.
const TORONTO = 'America/Toronto';
const raw = {
  city: { name: 'Toronto', timezone: TORONTO },
  assign: { recipients: RECIPIENTS, deadlines: { facility: 18, general: 18, topic: 'month_end' } },
};
const cfg = assignConfig(configFrom(raw));
const utc = (iso: string) => new Date(iso + 'Z');

let store: Store;
let dbPath: string;
let dir: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ store, cleanup, dbPath, dir } = await tempStore());
  await seedScenario(store);
  await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
});
afterEach(() => cleanup());

async function hotspotItem(): Promise<string> {
  return (await store.value<string>(`SELECT item_id FROM assignments WHERE source = 'hotspot' ORDER BY item_id`))!;
}

describe("assign counts 'now' on the city's wall clock (config city.timezone)", () => {
  it('localNow and parseAt read the clock in the given zone; no zone keeps Asia/Shanghai', () => {
    expect(cityTimeZone(configFrom(raw))).toBe(TORONTO);
    expect(localNow(utc('2026-03-02T04:30:00'), TORONTO)).toBe('2026-03-01 23:30:00');
    expect(localNow(utc('2026-03-02T04:30:00'))).toBe('2026-03-02 12:30:00');
    // daylight saving: EDT (UTC-4) from 2026-03-08
    expect(localNow(utc('2026-03-09T03:30:00'), TORONTO)).toBe('2026-03-08 23:30:00');
    expect(parseAt('2026-03-02T04:30:00Z', TORONTO)).toBe('2026-03-01 23:30:00');
    expect(parseAt('2026-03-02T04:30:00Z')).toBe('2026-03-02 12:30:00');
    expect(parseAt('2026-03-01 23:30', TORONTO)).toBe('2026-03-01 23:30:00');
  });

  it('an item due 18:00 local is green, yellow from 13:30 and red from 18:00 on the Toronto clock', async () => {
    const id = await hotspotItem();
    const [item] = await board(store, localNow(utc('2026-03-01T12:00:00'), TORONTO), cfg.yellowAt, { itemId: id });
    expect([item.assigned_at, item.deadline]).toEqual(['2026-03-01 00:00', '2026-03-01 18:00']);
    const colourAt = async (iso: string, zone?: string) =>
      (await board(store, localNow(utc(iso), zone), cfg.yellowAt, { itemId: id }))[0].colour;
    expect(await colourAt('2026-03-01T17:00:00', TORONTO)).toBe('green'); // 12:00 local
    expect(await colourAt('2026-03-01T18:29:00', TORONTO)).toBe('green'); // 13:29
    expect(await colourAt('2026-03-01T18:31:00', TORONTO)).toBe('yellow'); // 13:31
    expect(await colourAt('2026-03-01T22:59:00', TORONTO)).toBe('yellow'); // 17:59
    expect(await colourAt('2026-03-01T23:00:00', TORONTO)).toBe('red'); // 18:00
    // the same instant read on Shanghai's clock (the old behaviour, still the default) is already the next day
    expect(await colourAt('2026-03-01T17:00:00')).toBe('red');
  });

  it('serve: colours at the injected clock and a report at 23:30 local lands on that local date', async () => {
    store.close();
    let clock = utc('2026-03-01T18:31:00'); // 13:31 in Toronto
    const server = createFeedbackServer({ dbPath, cfg, timeZone: TORONTO, clock: () => clock, lockWaitMs: 500 });
    const { base } = await listenLocal(server);
    const call = (path: string, body?: unknown) =>
      fetch(base + path, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${RECIPIENTS[0].token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    type Listed = { items: Array<{ item_id: string; colour: string; status_at: string }> };
    try {
      const list = (await (await call('/items')).json()) as Listed;
      const own = list.items.find((i) => i.item_id.startsWith('H-'))!;
      expect(own.colour).toBe('yellow');
      clock = utc('2026-03-02T04:30:00'); // 23:30 on 03-01 in Toronto, 12:30 on 03-02 in Shanghai
      expect((await call(`/items/${own.item_id}/status`, { status: '排查' })).status).toBe(201);
      // a time with an offset names an instant: the city's clock read it as 23:31
      const noted = await call(`/items/${own.item_id}/status`, { status: '排查', at: '2026-03-02T04:31:00Z' });
      expect(noted.status).toBe(201);
      // 23:50 local is later than now (23:30) beyond the 10 minutes' skew
      const ahead = await call(`/items/${own.item_id}/status`, { status: '排查', at: '2026-03-01 23:50' });
      expect(ahead.status).toBe(400);
      const after = (await (await call('/items')).json()) as Listed;
      const item = after.items.find((i) => i.item_id === own.item_id)!;
      expect(item.status_at).toBe('2026-03-01 23:30');
      expect(item.colour).toBe('red');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a feedback file is checked against now on the city clock; its offset times are read in the city zone', () => {
    const file = join(dir, 'fb.csv');
    writeFileSync(file, 'item_id,status,at\nH-1,排查,2026-03-01 23:30\nH-1,整改,2026-03-02T04:35:00Z\n');
    const now = utc('2026-03-02T04:40:00'); // 23:40 local
    const rows = readFeedbackFile(file, { timeZone: TORONTO, now });
    expect(rows.map((r) => r.at)).toEqual(['2026-03-01 23:30:00', '2026-03-01 23:35:00']);
    // an hour earlier (22:40 local), 23:30 is later than now
    expect(() => readFeedbackFile(file, { timeZone: TORONTO, now: utc('2026-03-02T03:40:00') })).toThrow(
      /fb\.csv:2 字段 at：'2026-03-01 23:30' 晚于现在/,
    );
    // the default zone reads the same instant as 12:40 on 03-02 in Shanghai
    expect(readFeedbackFile(file, { now }).map((r) => r.at)).toEqual(['2026-03-01 23:30:00', '2026-03-02 12:35:00']);
  });

  it("a page link lasts from the item's local deadline (18:00 Toronto = 23:00 UTC), not 18:00 Shanghai", () => {
    const opts = { secret: 's'.repeat(32), baseUrl: 'https://x', linkDays: 7 };
    expect(pageLink(opts, 'g1', 0, '2026-03-01 18:00', TORONTO)).toBe(
      pageLink(opts, 'g1', Date.parse('2026-03-01T23:00:00Z')),
    );
    expect(pageLink(opts, 'g1', 0, '2026-03-01 18:00')).toBe(pageLink(opts, 'g1', Date.parse('2026-03-01T10:00:00Z')));
  });
});
