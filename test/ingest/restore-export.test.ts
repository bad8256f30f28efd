import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/export/index.js';
import { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

interface Row {
  order_id: string;
  category: string;
  levels: string | null;
  cat1: string;
  cat2: string;
}
const ROWS = `SELECT order_id, category, to_json(category_levels)::VARCHAR AS levels, cat1, cat2 FROM orders ORDER BY order_id`;

/**
 * `weisu export` then `weisu ingest <export>/orders` restores the store: the export carries category_levels (the
 * level names, whole even where one holds '/'), and ingest takes them as the levels rather than splitting category
 * at every '/' (CONTRACT §1). Invented orders.
 */
describe('restoring an export', () => {
  it('reads category_levels as the exact level names: export → ingest round-trips', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const f = writeText(
      t.dir,
      'nyc.csv',
      'order_id,created_at,Complaint Type,Descriptor,content\n' +
        'n-1,2015-01-24 14:36:52,HEAT/HOT WATER,ENTIRE BUILDING,no heat\n' +
        'n-2,2015-01-25 09:00:00,Construction Site Cleanliness/Fence,Debris,fence down\n' +
        'n-3,2015-01-26 09:00:00,Noise,Loud Music/Party,music\n',
    );
    const mapping = writeText(t.dir, 'm.json', JSON.stringify({ category_levels: ['Complaint Type', 'Descriptor'] }));
    await ingest(t.store, [f], { mapping });
    // an order loaded from a joined path: no levels stored, category split at '/'
    const g = writeText(t.dir, 'path.csv', 'order_id,created_at,category,content\np-1,2015-02-01 08:00:00,A/B,x\n');
    await ingest(t.store, [g]);
    const before = await t.store.all<Row>(ROWS);
    expect(before.find((r) => r.order_id === 'n-1')?.levels).toBe('["HEAT/HOT WATER","ENTIRE BUILDING"]');

    const out = join(t.dir, 'exp');
    await exportStore(t.store, out, { city: 'Test City', before: '2100-01-01' });
    const restored = await Store.open(join(t.dir, 'restored.duckdb'));
    try {
      const s = await ingest(restored, [join(out, 'orders')]);
      expect(s).toMatchObject({ read: 4, loaded: 4, quarantined: 0 });
      const warnings = s.files.flatMap((x) => x.warnings ?? []).join('\n');
      expect(warnings).not.toContain('category_levels');
      expect(await restored.all<Row>(ROWS)).toEqual(before);
    } finally {
      restored.close();
    }
  }, 60_000);

  it('takes category_levels written as a JSON list in a text file', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const f = writeText(
      t.dir,
      'levels.csv',
      'order_id,created_at,category,content,category_levels\n' +
        'c-1,2015-01-24 14:36:52,HEAT/HOT WATER/ENTIRE BUILDING,no heat,"[""HEAT/HOT WATER"",""ENTIRE BUILDING""]"\n' +
        'c-2,2015-01-24 15:00:00,Noise/Loud Music,music,\n',
    );
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ loaded: 2, quarantined: 0 });
    expect(await t.store.all<Row>(ROWS)).toEqual([
      {
        order_id: 'c-1',
        category: 'HEAT/HOT WATER/ENTIRE BUILDING',
        levels: '["HEAT/HOT WATER","ENTIRE BUILDING"]',
        cat1: 'HEAT/HOT WATER',
        cat2: 'HEAT/HOT WATER/ENTIRE BUILDING',
      },
      {
        order_id: 'c-2',
        category: 'Noise/Loud Music',
        levels: '["Noise","Loud Music"]',
        cat1: 'Noise',
        cat2: 'Noise/Loud Music',
      },
    ]);
  });
});
