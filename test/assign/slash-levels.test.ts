import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignConfig } from '../../src/assign/config.js';
import { generateItems } from '../../src/assign/generate.js';
import { itemType } from '../../src/assign/items.js';
import { configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testContext } from '../helpers.js';
import { addHotspot, addOrders, RECIPIENTS } from './fixture.js';

/**
 * Level-1 names that hold '/' (invented rows in the shape of a US 311 taxonomy: `HEAT/HOT WATER` is one level name,
 * `ENTIRE BUILDING` the next; Toronto's one-level `Litter / Bin / Graffiti on Bin`). The unit, handler and item-type
 * lookups fall back to a category's level-1 name as stored, never to the text before its first '/': the decoy
 * entries for `HEAT` and `Litter ` below must never be taken.
 */
const HEAT = 'HEAT/HOT WATER/ENTIRE BUILDING';
const LITTER = 'Litter / Bin / Graffiti on Bin';

const RULES = [
  { type: 'urgent', categories: ['HEAT', 'Litter '] },
  { type: 'facility', categories: ['HEAT/HOT WATER'] },
];

describe("assign's level-1 fallback reads the stored level names", () => {
  let store: Store;
  let dir: string;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ store, dir, cleanup } = await tempStore());
    const orders = [];
    for (const [cell, category] of [
      ['C1', HEAT],
      ['C2', LITTER],
    ])
      for (let i = 0; i < 6; i++)
        orders.push({ id: `${cell}-${i}`, at: `2026-02-1${i} 09:00:00`, category, cell, grid: 'G1' });
    await addOrders(store, orders);
    await store.exec(
      `UPDATE orders SET category_levels = CASE WHEN category = $heat THEN ['HEAT/HOT WATER', 'ENTIRE BUILDING']
                                                  ELSE [category] END`,
      { heat: HEAT },
    );
    await store.exec(`UPDATE orders SET cat1 = category_levels[1], cat2 = array_to_string(category_levels[1:2], '/')`);
    for (const [cell, category] of [
      ['C1', HEAT],
      ['C2', LITTER],
    ])
      await addHotspot(store, { asOf: '2026-03-01', cell, category, count: 6, z: 3, kind: 'emerging', grid: 'G1' });
  });
  afterEach(() => cleanup());

  it('takes the unit and handler entries of the stored level-1 name', async () => {
    const units = join(dir, 'units.json');
    writeFileSync(
      units,
      JSON.stringify({ units: { HEAT: { lead: 'Wrong Unit' }, 'HEAT/HOT WATER': { lead: 'Housing Department' } } }),
    );
    await generateItems(
      testContext(store, '2026-03-01', {
        units,
        assign: { recipients: RECIPIENTS },
        handlers: { categories: { HEAT: 'out', 'HEAT/HOT WATER': 'unit', 'Litter ': 'out' } },
      }),
      { topics: false, hotspots: true },
    );
    const rows = await store.all<{ cell: string; lead_unit: string | null; item_type: string }>(
      `SELECT cell, lead_unit, item_type FROM assignments WHERE source = 'hotspot' ORDER BY cell`,
    );
    // before: HEAT's 'out' dropped C1's item, and 'Litter ' dropped C2's
    expect(rows.map((r) => r.cell)).toEqual(['C1', 'C2']);
    expect(rows[0]).toMatchObject({ lead_unit: 'Housing Department', item_type: 'unit' });
  });

  it('types an item by the paths its stored levels join to', async () => {
    await generateItems(
      testContext(store, '2026-03-01', {
        assign: {
          recipients: RECIPIENTS,
          deadlines: { urgent: 4, facility: 24, general: 168, topic: 'month_end' },
          itemTypes: RULES,
        },
        handlers: { default: 'grid', categories: { 'HEAT/HOT WATER': 'grid', [LITTER]: 'grid' } },
      }),
      { topics: false, hotspots: true },
    );
    const rows = await store.all<{ cell: string; item_type: string }>(
      `SELECT cell, item_type FROM assignments WHERE source = 'hotspot' ORDER BY cell`,
    );
    // before: C1 and C2 were 'urgent', by the 'HEAT' and 'Litter ' paths their names merely start with
    expect(rows).toEqual([
      { cell: 'C1', item_type: 'facility' },
      { cell: 'C2', item_type: 'general' },
    ]);
  });

  it('matches a path at level breaks only; without stored levels the path splits at / as before', () => {
    const cfg = assignConfig(
      configFrom({
        assign: { deadlines: { urgent: 4, facility: 24, general: 168, topic: 'month_end' }, itemTypes: RULES },
      }),
    );
    expect(itemType(cfg, HEAT, ['HEAT/HOT WATER', 'ENTIRE BUILDING'])).toBe('facility');
    expect(itemType(cfg, 'HEAT/HOT WATER', ['HEAT/HOT WATER'])).toBe('facility');
    expect(itemType(cfg, LITTER, [LITTER])).toBe('general');
    expect(itemType(cfg, HEAT)).toBe('urgent');
  });
});
