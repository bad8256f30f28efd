import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * Toronto's Open311 request types are one level whose names hold '/' ('Litter / Bin / Graffiti on Bin'); the export
 * stores them whole in category_levels. The report must show that name, not the part after its last '/'.
 */
describe('report charts name a category by its stored level names', () => {
  it("labels a one-level 'Litter / Bin / Graffiti on Bin' from its first level name in the top-categories chart", async () => {
    const env = await tempStore();
    try {
      const name = 'Litter / Bin / Graffiti on Bin';
      await seedOrders(env.store, [{ cat2: name, perDay: steady(5), texts: ['bin full'] }], '2025-10-01', '2025-11-01');
      await env.store.exec('UPDATE orders SET category_levels = [category], cat1 = category, cat2 = category');
      await aggregateStage.run(testContext(env.store, '2025-11-01'));
      const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
      const svg = readFileSync(join(String(counts.html), '..', 'charts', 'top-categories.svg'), 'utf8');
      // (the axis cuts a long label with '…'; what it shows starts where the name starts)
      expect(svg).toMatch(/>Litter \/ Bin \/ Graffi[^<]*</);
      expect(svg).not.toContain('>Graffiti on Bin<');
    } finally {
      env.cleanup();
    }
  }, 60_000);
});
