import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * A message board of a few dozen messages a month has no category over the bar: the topics stage lists its best
 * categories as 备选. The HTML report (the one leaders open) must show them as the Markdown twin does — before, it
 * said only "本月没有符合条件的议题候选" while its data notes announced "另列3个备选". Invented orders.
 */
describe('report of a month with 备选 only', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let html: string;
  let md: string;
  beforeAll(async () => {
    env = await tempStore();
    await seedOrders(env.store, [{ cat2: '城建', perDay: steady(1), texts: ['小区停气'] }], '2025-09-01', '2025-11-01');
    await env.store.exec(
      `INSERT INTO topic_alternates (month, rank, category, level, score, excluded_why, reasons, weaker, computed_at)
       VALUES ('2025-11', 1, '城建', 1, 0.12, 'below_bar', '["上月30件，环比基本持平"]',
               '["上月仅30件，上升不明显"]', now()::TIMESTAMP)`,
    );
    const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
    html = readFileSync(String(counts.html), 'utf8');
    md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  }, 60_000);
  afterAll(() => env.cleanup());

  it('says there is no candidate and still shows each 备选 with why it is weaker', () => {
    expect(html).toContain('本月没有符合条件的议题候选');
    expect(html).toContain('id="alternate-1"');
    expect(html).toContain('上月仅30件，上升不明显');
    expect(md).toContain('### 1. 城建（备选）');
  });
});

/**
 * A 留言板 export has no caller, coordinates, address or community: no message can be told to repeat another, and the
 * report said "重复诉求占比 0%" as if none did. Invented orders (seedOrders writes none of those fields).
 */
describe('report of an export that cannot tell repeats', () => {
  it('gives no 重复诉求占比 and says why, and gives it again once orders carry a caller', async () => {
    const env = await tempStore();
    try {
      await seedOrders(
        env.store,
        [{ cat2: '城建', perDay: steady(2), texts: ['小区停气'] }],
        '2025-09-01',
        '2025-11-01',
      );
      const out = join(env.dir, 'out');
      const first = await reportStage.run(testContext(env.store, '2025-11-01', {}, out));
      const md = readFileSync(String(first.html).replace(/report\.html$/, 'report.md'), 'utf8');
      const kpi = md.split('\n').find((l) => l.includes('**重复诉求占比**'))!;
      expect(kpi).toBe('- **重复诉求占比**：—（上月工单均无来电人、坐标、地址或社区，无法判断重复诉求）');
      expect(md).toContain('无法判断重复诉求（导出数据未含来电号码、坐标、地址或社区字段，或均为空）');
      await env.store.exec("UPDATE orders SET caller_hash = 'h' || (rowid % 7)::VARCHAR");
      const again = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out2')));
      const md2 = readFileSync(String(again.html).replace(/report\.html$/, 'report.md'), 'utf8');
      expect(md2.split('\n').find((l) => l.includes('**重复诉求占比**'))).toMatch(/：\d+(\.\d+)?%（同一来电人或地点/);
    } finally {
      env.cleanup();
    }
  }, 60_000);
});

/**
 * A level name may hold '/' (a 留言板's type 投诉/求助, NYC's HEAT/HOT WATER): the report wrote '城建/投诉/求助', which
 * reads as three levels. Its headings join such a path's level names with ' › '. Invented orders.
 */
describe('report of a category whose level name holds a slash', () => {
  it('heads the 备选 with 城建 › 投诉/求助', async () => {
    const env = await tempStore();
    try {
      await seedOrders(
        env.store,
        [{ cat2: '城建/投诉/求助', perDay: steady(1), texts: ['停气'] }],
        '2025-09-01',
        '2025-11-01',
      );
      await env.store.exec("UPDATE orders SET category_levels = ['城建', '投诉/求助']");
      await env.store.exec(
        `INSERT INTO topic_alternates (month, rank, category, level, score, excluded_why, reasons, weaker, computed_at)
         VALUES ('2025-11', 1, '城建/投诉/求助', 2, 0.12, 'below_bar', '[]', '[]', now()::TIMESTAMP)`,
      );
      const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
      const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
      expect(md).toContain('### 1. 城建 › 投诉/求助（备选）');
      expect(readFileSync(String(counts.html), 'utf8')).toContain(
        '城建 › 投诉/求助<span class="badge grey">备选</span>',
      );
    } finally {
      env.cleanup();
    }
  }, 60_000);
});
