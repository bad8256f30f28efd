import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * An export with 满意度 but no 办结时间 column (every closed_at empty): an order is rated only after it is closed,
 * so the month's 不满意率 is over the rated orders, and the report says the export has no closing time rather than
 * that the orders are 未办结.
 */
describe('report on an export with ratings but no closing time', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let md: string;
  beforeAll(async () => {
    env = await tempStore();
    await seedOrders(
      env.store,
      [{ cat2: '城乡建设/供暖', perDay: steady(20), texts: ['暖气不热'], unsatisfied: 0.25 }],
      '2025-09-01',
      '2025-11-01',
    );
    // the export has no 办结时间 column: every order loads with it empty (a later load: the days are counted again)
    await env.store.exec('UPDATE orders SET closed_at = NULL, seq = 2');
    await aggregateStage.run(testContext(env.store, '2025-11-01'));
    const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
    md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  }, 60_000);
  afterAll(() => env.cleanup());

  it('gives the 不满意率 over the rated orders and says there is no closing time', () => {
    const kpi = md.split('\n').find((l) => l.includes('**不满意率**'))!;
    // 5 of every 20 orders a day are rated 不满意
    expect(kpi).toContain('25%');
    expect(kpi).toContain('无办结时间');
    expect(kpi).toContain('按已评价 620 件计');
    expect(kpi).not.toContain('未办结');
  });
});
