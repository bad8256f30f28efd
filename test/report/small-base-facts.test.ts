import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * A candidate whose month before held a handful of orders: its reason line says "环比由6件增至93件" (topics'
 * MIN_PERCENT_BASE), and the fact box under it must not say "+1450%" of the same comparison.
 */
const AS_OF = '2025-11-01';
// invented: one order a day from 25 September (6 in September), three a day in October (93)
const burst = (d: string) => (d >= '2025-10-01' ? 3 : d >= '2025-09-25' ? 1 : 0);

describe('candidate fact box on a base of a few orders', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let md: string;
  beforeAll(async () => {
    env = await tempStore();
    await seedOrders(
      env.store,
      [
        { cat2: '市场监管/预付卡', perDay: burst, texts: ['健身房关门预付卡无法退款'] },
        { cat2: '城乡建设/物业管理', perDay: steady(40), texts: ['物业不作为'] },
      ],
      '2025-06-01',
      AS_OF,
    );
    await runTopics(testContext(env.store, AS_OF));
    const counts = await reportStage.run(testContext(env.store, AS_OF, {}, join(env.dir, 'out')));
    md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  }, 60_000);
  afterAll(() => env.cleanup());

  it('gives the 环比 as counts, as the reason line does', () => {
    const card = md.slice(md.indexOf('市场监管/预付卡'));
    const facts = card.split('\n').find((l) => l.startsWith('上月件数'));
    expect(facts, 'the candidate has a fact box').toBeDefined();
    expect(facts).toContain('环比（日均）：**6件→93件**');
    expect(facts).not.toMatch(/环比（日均）：\*\*\+\d/);
  });
});
