import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from '../ingest/util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

// A board export with a title and a detail column, both mapped to content: both must reach the order text
// (the title is often the clearest sentence), once each. Rows invented for the test.
describe('several columns mapped to content', () => {
  it('joins title and detail, skips empty and repeated parts', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = join(t.dir, 'board.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        name: 'board',
        columns: { 编号: 'order_id', 时间: 'created_at', 分类: 'category', 主题: 'content', 详情: 'content' },
      }),
    );
    const csv = writeText(
      t.dir,
      'board.csv',
      [
        '编号,时间,分类,主题,详情',
        'B1,2024-03-01 10:00:00,城乡建设,两个公厕却没有灯,晚上进去什么都看不见',
        'B2,2024-03-02 10:00:00,城乡建设,,只有详情',
        'B3,2024-03-03 10:00:00,城乡建设,只有主题,',
        'B4,2024-03-04 10:00:00,城乡建设,路灯不亮,路灯不亮已经一个月了',
      ].join('\n'),
    );
    await ingest(t.store, [csv], { mapping });
    const rows = await t.store.all<{ order_id: string; content: string }>(
      'SELECT order_id, content FROM orders ORDER BY order_id',
    );
    expect(rows.map((r) => r.content)).toEqual([
      '两个公厕却没有灯。晚上进去什么都看不见',
      '只有详情',
      '只有主题',
      '路灯不亮已经一个月了',
    ]);
  });
});
