import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('title + detail joined into content', () => {
  it('adds 。 only after a title that does not end a sentence, and trims each part before joining', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = writeText(
      t.dir,
      'm.json',
      JSON.stringify({
        columns: { 编号: 'order_id', 时间: 'created_at', 主题: 'content', 详情: 'content', 分类: 'category' },
      }),
    );
    const csv = [
      '编号,时间,主题,详情,分类',
      '1,2020-01-02 08:00:00,要开业了！,"\n\t\t\t\n\t\t详情一　　",城乡建设',
      '2,2020-01-02 08:00:00,电梯停运,"\t详情二",城乡建设',
      '3,2020-01-02 08:00:00,  为什么？  ,详情三,城乡建设',
      '4,2020-01-02 08:00:00,Help!,详情四,城乡建设',
      '5,2020-01-02 08:00:00,还有…,详情五,城乡建设',
    ].join('\n');
    const file = writeText(t.dir, 'a.csv', csv + '\n');
    const s = await ingest(t.store, [file], { mapping });
    expect(s).toMatchObject({ loaded: 5, quarantined: 0 });
    const rows = await t.store.all<{ order_id: string; content: string }>(
      'SELECT order_id, content FROM orders ORDER BY order_id',
    );
    expect(rows.map((r) => r.content)).toEqual([
      '要开业了！详情一',
      '电梯停运。详情二',
      '为什么？详情三',
      'Help!详情四',
      '还有…详情五',
    ]);
  });
});
