import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * A quiet city's last day without an order is not a missing export. The Konstanz Mängelmelder (3.6 reports a day)
 * had none on 2021-12-31, and the January report said "2021-12-31的数据尚未入库" — of a day that was in the export,
 * while its figures rightly counted December whole. Said only when so long a gap is unlikely at the month's daily
 * rate (under 1 %); a busy city's one empty last day still is.
 */
async function dataNotes(perDay: number): Promise<string[]> {
  const env = await tempStore();
  try {
    await seedOrders(
      env.store,
      [{ cat2: '城乡建设/路灯', perDay: steady(perDay), texts: ['路灯不亮'] }],
      '2025-09-01',
      '2025-11-01',
    );
    await env.store.exec("DELETE FROM orders WHERE created_at >= '2025-10-31'");
    const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
    const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
    return md.split('\n').filter((l) => l.includes('最新工单日期'));
  } finally {
    env.cleanup();
  }
}

describe('report note on a last day without orders', () => {
  it('does not call one quiet day of a city with 2 orders a day a missing export', async () => {
    const lines = await dataNotes(2);
    expect(lines.join('\n')).not.toContain('尚未入库');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('2025-10-30');
    expect(lines[0]).toContain('按整月计算');
  }, 60_000);

  it('still names the missing day of a city with 30 orders a day', async () => {
    const lines = await dataNotes(30);
    expect(lines.join('\n')).toContain('最新工单日期为2025-10-30，2025-10-31的数据尚未入库。');
  }, 60_000);
});
