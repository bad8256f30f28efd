import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { exportStore } from '../../src/export/index.js';
import { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers.js';

/**
 * A level name may hold '/' (NYC 311's complaint type `HEAT/HOT WATER`): the store keeps the names whole in
 * orders.category_levels (CONTRACT §1), and the export must carry them too, or a province reading the Parquet can
 * only split `HOUSING/HEAT/HOT WATER/ENTIRE BUILDING` into four levels where the city had three. Invented orders.
 */
describe('export keeps the category level names whole', () => {
  it('writes category_levels beside category', async () => {
    const env = await tempStore();
    try {
      await env.store.exec(
        `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, row_hash, first_seq, seq, loaded_at,
                             category_levels)
         VALUES ('n-1', TIMESTAMP '2025-10-10 09:00:00', 'HOUSING/HEAT/HOT WATER/ENTIRE BUILDING', 'HOUSING',
                 'HOUSING/HEAT/HOT WATER', 'no heat', 1, 1, 1, now()::TIMESTAMP,
                 ['HOUSING', 'HEAT/HOT WATER', 'ENTIRE BUILDING']),
                ('n-2', TIMESTAMP '2025-10-11 09:00:00', 'Noise/Loud Music', 'Noise', 'Noise/Loud Music', 'music',
                 2, 1, 1, now()::TIMESTAMP, NULL)`,
      );
      const out = join(env.dir, 'export');
      await exportStore(env.store, out, { city: 'Test City', before: '2100-01-01' });
      const probe = await Store.open(':memory:', { migrate: false });
      try {
        const rows = await probe.all<{ order_id: string; levels: string | null }>(
          `SELECT order_id, to_json(category_levels)::VARCHAR AS levels
           FROM read_parquet('${out}/orders/*/*/*.parquet', hive_partitioning = true) ORDER BY order_id`,
        );
        expect(rows).toEqual([
          { order_id: 'n-1', levels: '["HOUSING","HEAT/HOT WATER","ENTIRE BUILDING"]' },
          { order_id: 'n-2', levels: null },
        ]);
      } finally {
        probe.close();
      }
    } finally {
      env.cleanup();
    }
  }, 60_000);
});
