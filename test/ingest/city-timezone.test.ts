import { afterEach, describe, expect, it } from 'vitest';
import { ingestSettings } from '../../src/ingest/config.js';
import { configFrom } from '../../src/store/config.js';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

// Invented rows in the form an Open311 (GeoReport v2) export writes its times: ISO 8601 with the city's own UTC
// offset, which changes at the daylight-saving switch (-04:00 in October, -05:00 in November for Toronto).
const ROWS = [
  'order_id,created_at,category,content',
  '1,2018-10-24T18:00:00-04:00,Road - Pot hole,pothole by the curb',
  '2,2018-10-28T23:30:00-04:00,Graffiti,tag on a bin',
  '3,2018-11-05T09:15:00-05:00,Graffiti,tag on a wall',
  // Unix seconds carry no zone of their own: 1540418400 is 2018-10-24 22:00 UTC, 18:00 in Toronto
  '4,1540418400,Graffiti,tag on a bridge',
].join('\n');

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function load(timezone?: string): Promise<Array<{ order_id: string; created_at: string }>> {
  const t = await tempStore();
  cleanup = t.cleanup;
  const file = writeText(t.dir, 'open311.csv', ROWS);
  const s = await ingest(t.store, [file], timezone ? { timezone } : {});
  expect(s).toMatchObject({ read: 4, loaded: 4, quarantined: 0 });
  return t.store.all('SELECT order_id, created_at::VARCHAR AS created_at FROM orders ORDER BY order_id');
}

describe("a city outside China: times with an offset are read in the city's time zone (config city.timezone)", () => {
  it('keeps the day and hour the file gives for a Toronto export', async () => {
    expect(await load('America/Toronto')).toEqual([
      { order_id: '1', created_at: '2018-10-24 18:00:00' },
      { order_id: '2', created_at: '2018-10-28 23:30:00' },
      { order_id: '3', created_at: '2018-11-05 09:15:00' },
      { order_id: '4', created_at: '2018-10-24 18:00:00' },
    ]);
  });

  it('with Asia/Shanghai named, every offset is converted to it', async () => {
    expect((await load('Asia/Shanghai'))[0]).toEqual({ order_id: '1', created_at: '2018-10-25 06:00:00' });
  });
});

// The same rows, and the forms that state no local time, loaded by a user who wrote no config.
const UNSET = [
  'order_id,created_at,category,content',
  '1,2018-10-24T18:00:00-04:00,Road - Pot hole,pothole by the curb',
  '2,2018-10-28T23:30:00-04:00,Graffiti,tag on a bin',
  '3,2018-11-05T09:15:00-05:00,Graffiti,tag on a wall',
  '4,2018-10-24 18:00:00 +08:00,Graffiti,tag on a bridge',
  '5,2018-10-24T18:00:00.5+0530,Graffiti,tag on a gate',
  // 'Z' and Unix seconds state an instant, no one's local time: read in the default zone (UTC+8)
  '6,2018-10-24T10:00:00Z,Graffiti,tag on a door',
  '7,1540418400,Graffiti,tag on a fence',
  '8,2018-10-24 18:00:00,Graffiti,tag on a post',
].join('\n');

describe('no city.timezone in the config: a written offset keeps the wall-clock time it states', () => {
  it("a Toronto export loaded without a config stays on its own days and hours; 'Z' and epochs read as UTC+8", async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = writeText(t.dir, 'open311.csv', UNSET);
    const timezone = ingestSettings(configFrom({ city: { name: 'Toronto' } }, '.', 'c.json')).timezone;
    const s = await ingest(t.store, [file], { timezone });
    expect(s).toMatchObject({ read: 8, loaded: 8, quarantined: 0 });
    const rows = await t.store.all('SELECT order_id, created_at::VARCHAR AS created_at FROM orders ORDER BY order_id');
    expect(rows).toEqual([
      { order_id: '1', created_at: '2018-10-24 18:00:00' },
      { order_id: '2', created_at: '2018-10-28 23:30:00' },
      { order_id: '3', created_at: '2018-11-05 09:15:00' },
      { order_id: '4', created_at: '2018-10-24 18:00:00' },
      { order_id: '5', created_at: '2018-10-24 18:00:00.5' },
      { order_id: '6', created_at: '2018-10-24 18:00:00' },
      { order_id: '7', created_at: '2018-10-25 06:00:00' },
      { order_id: '8', created_at: '2018-10-24 18:00:00' },
    ]);
  });
});

describe('city.timezone reaches ingest as the config states it', () => {
  it('the config key reaches ingest, and a zone name that does not exist is refused in one line', () => {
    expect(ingestSettings(configFrom({ city: { timezone: 'America/Toronto' } }, '.', 'c.json')).timezone).toBe(
      'America/Toronto',
    );
    // the parsed config's default (Asia/Shanghai) is not the user's word: ingest is told no zone was named
    expect(configFrom({}, '.', 'c.json').city.timezone).toBe('Asia/Shanghai');
    expect(ingestSettings(configFrom({}, '.', 'c.json')).timezone).toBeUndefined();
    expect(ingestSettings(configFrom({ city: { name: 'Toronto' } }, '.', 'c.json')).timezone).toBeUndefined();
    expect(() => ingestSettings(configFrom({ city: { timezone: 'Toronto' } }, '.', 'c.json'))).toThrow(
      /^配置 city\.timezone 不是有效的时区名：Toronto（例如 Asia\/Shanghai、America\/Toronto）$/,
    );
  });
});
