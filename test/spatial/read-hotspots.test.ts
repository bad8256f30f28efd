import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { readHotspots } from '../../src/spatial/read-hotspots.js';
import { tempStore } from '../helpers.js';

let store: Store;
let cleanup: () => void;

// cell, kind, z, count, strength, above_usual
const ROWS: [string, string, number, number, number | null, boolean | null][] = [
  ['a', 'persistent', 9, 40, 2, false],
  ['b', 'hot', 5, 12, 20, true],
  ['c', 'emerging', 4, 30, 8, true],
  ['d', 'multi_category', 3, 50, null, null],
  ['e', 'hot', 6, 12, null, false],
];

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  for (const [cell, kind, z, count, strength, above] of ROWS)
    await store.exec(
      `INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, kind, strength, above_usual)
       VALUES ('2026-12-01', $cell, 0, 0, 'x/y', $count, $z, $kind, $strength, $above)`,
      { cell, count, z, kind, strength, above },
    );
});

afterAll(() => cleanup());

describe('weisu hotspots --sort', () => {
  it('orders by kind, strength (above its usual level first), z and count', async () => {
    const order = async (sort: 'kind' | 'strength' | 'z' | 'count') =>
      (await readHotspots(store, '2026-12-01', sort)).map((r) => r.cell).join('');
    expect(await order('kind')).toBe('dceba');
    expect(await order('strength')).toBe('bcaed');
    expect(await order('z')).toBe('aebcd');
    expect(await order('count')).toBe('daceb');
  });
});
