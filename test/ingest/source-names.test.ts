import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

interface Q {
  line: number;
  field: string;
  reason: string;
  reason_code: string;
}

// the reasons and warnings name a column by the header the user's file holds, beside the canonical field
describe('ingest names the file’s own columns', () => {
  it('a mapped header is named in the quarantine reason; field and reason_code stay canonical', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = join(t.dir, 'car.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: {
          id: 'order_id',
          投诉时间: 'created_at',
          问题简述: 'content',
          典型问题: 'content',
          结案时间: 'closed_at',
        },
        category_levels: ['投诉品牌', '投诉车系'],
      }),
    );
    const lines = [
      'id,投诉品牌,投诉车系,问题简述,典型问题,投诉时间,结案时间',
      'A1,大众,朗逸,发动机异响,异响,2020-06-18,下周',
      'A2,大众,朗逸,变速箱顿挫,,2020/13/5,',
      'A3,大众,朗逸,,,2020-06-18,',
      'A4,,,刹车失灵,,2020-06-18,',
      ',大众,朗逸,漏油,,2020-06-18,',
      'A6,大众,朗逸,异响,,,',
    ];
    const f = writeText(t.dir, 'car.csv', lines.join('\n') + '\n');
    const s = await ingest(t.store, [f], { mapping });
    expect(s.loaded).toBe(1);
    // a kept row's warning names the closed_at column the same way
    expect(s.files[0].warnings).toContain('1 行的结案时间（办结时间 closed_at）无法识别（工单已读入，办结时间留空）');
    const q = await t.store.all<Q>('SELECT line, field, reason, reason_code FROM quarantine ORDER BY line');
    expect(q.map((r) => [r.line, r.field, r.reason, r.reason_code])).toEqual([
      [3, 'created_at', '投诉时间（受理时间 created_at）无法识别：2020/13/5', 'unreadable_created_at'],
      [4, 'content', '问题简述/典型问题（诉求内容 content）为空', 'missing_content'],
      [5, 'category', '投诉品牌/投诉车系（诉求分类 category）为空', 'missing_category'],
      [6, 'order_id', '缺少id（工单编号 order_id）', 'missing_order_id'],
      [7, 'created_at', '缺少投诉时间（受理时间 created_at）', 'missing_created_at'],
    ]);
  });

  it('a header-less column (pandas’ unnamed index) is named by its place, not column1', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const f = writeText(
      t.dir,
      'indexed.csv',
      ',order_id,created_at,category,content\n0,B1,2024-01-02 08:00,城乡建设,路灯不亮\n',
    );
    const s = await ingest(t.store, [f]);
    expect(s.loaded).toBe(1);
    const text = s.files.flatMap((x) => x.warnings ?? []).join('\n');
    expect(text).toContain('第1列（无列名）');
    expect(text).not.toContain('column1');
  });

  it('the missing-field error names a header-less column as the file shows it', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const f = writeText(t.dir, 'nohead.csv', ',created_at,category,content\nB1,2024-01-02 08:00,城乡建设,路灯不亮\n');
    await expect(ingest(t.store, [f])).rejects.toThrow(/第1列（无列名）/);
    await expect(ingest(t.store, [f])).rejects.not.toThrow(/column1/);
  });
});
