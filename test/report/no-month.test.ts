import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * A month replayed after the export stopped (Konstanz Mängelmelder ends 2022-10-31; report of 2023-03): the report
 * said "本月没有符合条件的议题候选（没有明显上升或即将到来的季节高峰的类别）" and "上月没有发现明显的局部突发问题
 * （各街道、城区的上升均与全市同步或不显著）" of a month without a single order, and the topics added "上月工单尚无根因
 * 标签…" and "本月没有符合条件…的类别" beside "上月没有任何工单入库…无法评价上月". With no order last month nothing was
 * weighed: the sections say so, and the topics give that note alone.
 */
async function seeded() {
  const env = await tempStore();
  await seedOrders(
    env.store,
    [{ cat2: 'Müll/Illegaler Müll', perDay: steady(4), texts: ['Müll abgeladen'] }],
    '2025-05-01',
    '2025-09-01',
  );
  return env;
}

describe('a month with no order at all', () => {
  it('topics say only that last month cannot be judged', async () => {
    const env = await seeded();
    try {
      const res = await runTopics(testContext(env.store, '2025-12-01'));
      expect(res.candidates).toHaveLength(0);
      expect(res.notes).toEqual(['上月没有任何工单入库（最新工单日期为2025-08-31），无法评价上月。']);
    } finally {
      env.cleanup();
    }
  }, 60_000);

  it('the report does not call the empty month one without rises', async () => {
    const env = await seeded();
    try {
      const counts = await reportStage.run(testContext(env.store, '2025-12-01', {}, join(env.dir, 'out')));
      const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
      expect(md).not.toContain('没有明显上升');
      expect(md).not.toContain('上升均与全市同步或不显著');
      expect(md).toContain('上月没有工单数据');
    } finally {
      env.cleanup();
    }
  }, 60_000);
});
