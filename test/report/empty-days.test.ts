import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * A scraped complaint export (车质网, crawled on a few days of June 2020) held nine days in the middle of its span with
 * no order at all, in a source of ~150 a day: the report read the month as 16 days of data and said nothing of the
 * hole. A day without a single order in a busy city is an export that was not loaded.
 */
async function reportWithHole(perDay: number): Promise<string> {
  const env = await tempStore();
  try {
    await seedOrders(
      env.store,
      [{ cat2: '城乡建设/供暖', perDay: steady(perDay), texts: ['暖气不热'] }],
      '2025-10-01',
      '2025-11-01',
    );
    await env.store.exec(
      "DELETE FROM orders WHERE created_at >= DATE '2025-10-09' AND created_at < DATE '2025-10-18' OR created_at::DATE = DATE '2025-10-25'",
    );
    const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
    return readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  } finally {
    env.cleanup();
  }
}

describe('report on an export with days missing inside its span', () => {
  it('names the runs of days without a single order in a busy city', async () => {
    const md = await reportWithHole(40);
    expect(md).toContain('上月有10天全市没有一件工单（2025-10-09至2025-10-17、2025-10-25）');
  }, 60_000);

  it('says nothing for a small city, where a day without orders can be a quiet one', async () => {
    const md = await reportWithHole(3);
    expect(md).not.toContain('全市没有一件工单');
  }, 60_000);
});
