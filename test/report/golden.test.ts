import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport, type WrittenReport } from '../../src/report/stage.js';
import { testContext } from '../helpers.js';
import { AS_OF, fixedReportStore } from './fixed-store.js';

/**
 * The whole Markdown report of a fixed small store, pinned as a golden file: a change of wording, a number or a
 * section shows as a diff of test/report/golden/report-2025-11.md to review (update it with `vitest -u`).
 */
describe('report document (golden)', () => {
  let env: Awaited<ReturnType<typeof fixedReportStore>>;
  let written: WrittenReport;
  let md: string;
  beforeAll(async () => {
    env = await fixedReportStore();
    written = await writeReport(testContext(env.store, AS_OF, env.raw, join(env.dir, 'out')));
    // the generation time is the one line that changes from run to run
    md = readFileSync(written.md, 'utf8').replace(/_weisu 生成于 .*_/, '_weisu 生成于 （时间）_');
  }, 120_000);
  afterAll(() => env.cleanup());

  it('matches the reviewed golden file', async () => {
    await expect(md).toMatchFileSnapshot('./golden/report-2025-11.md');
  });

  it('offers the lone candidate with 备选 and says honestly why they are weaker', () => {
    expect(written.candidates).toBe(1);
    const alts = md.match(/^### \d\. .+（备选）/gm) ?? [];
    expect(alts.length).toBeGreaterThanOrEqual(1);
    expect(1 + alts.length).toBeLessThanOrEqual(3);
    expect(md).toContain('**较弱之处**');
    expect(md).toMatch(
      /按评分口径（扣除全市总量增长与季节变化后）同比(基本持平|上升\d+%|下降\d+%)、环比[^，]+，上升不明显或不够确定/,
    );
  });

  it('says the automatic assignment and the later choice in order, never both "未记录" and "已选定"', () => {
    expect(md).toContain('月度任务运行时尚未记录领导选择，已按评分第1名自动交办「生态环境/噪声污染」');
    expect(md).toContain('其后领导已选定「生态环境/噪声污染」（张主任，2025-11-02 09:30），与已交办的议题一致。');
    expect(md).not.toMatch(/^未记录领导选择/m);
    expect(md).toContain('### 1. 生态环境/噪声污染【已选定（张主任）并已交办】');
  });

  it('lists the local burst with its place, size and trend, and names hotspot places, not cell ids', () => {
    const row = md.split('\n').find((l) => l.includes('| 公共安全/消防安全 |'))!;
    // by hand from the fixture: 10-04…10-31 holds the 5th, 10th, 15th (one each) and 12 days of two = 27; the four
    // weeks before, one every fifth day = 5; the same weeks a year earlier (2024-10-05…11-01) = 6
    expect(row).toBe(
      '| 东区一街道（集中在平安社区 平安里一带） | 公共安全/消防安全 | 27 | 5 | 6 | 为去年同期的4.5倍，为前4周的5.4倍 |',
    );
    // October's 22 noise orders a day over the hotspot window's 28 days, in three cells of one address group
    expect(md).toContain('东区一街道幸福社区 幸福路一带（共3个区块，该类616件）');
    expect(md).not.toMatch(/\b8[0-9a-f]{14}\b/);
  });

  it('labels simulated 回传 and keeps one 同比 per card with the adjusted figure named', () => {
    expect(md).toContain('回传为模拟数据（演示）');
    expect(md.match(/演示数据：本节的签收、回传、办结均为模拟生成/g)?.length).toBeGreaterThanOrEqual(1);
    const card = md.slice(md.indexOf('### 1.'), md.indexOf('### 2.'));
    expect(card.match(/同比（日均）：\*\*[^*]+\*\*/g)).toHaveLength(1);
  });

  it('a later choice of another category says how to act on it, not that nothing was chosen', async () => {
    await env.store.exec(
      "INSERT INTO topic_selections VALUES ('2025-11', '交通运输/停车管理', TIMESTAMP '2025-11-03 10:00:00', '王局长', NULL)",
    );
    const again = await writeReport(testContext(env.store, AS_OF, env.raw, join(env.dir, 'out-other')));
    const text = readFileSync(again.md, 'utf8');
    expect(text).toContain('月度任务运行时尚未记录领导选择，已按评分第1名自动交办「生态环境/噪声污染」');
    expect(text).toContain(
      '其后领导选定「交通运输/停车管理」（王局长，2025-11-03 10:00）；重跑本月月度任务后按选定议题交办，已交办的「生态环境/噪声污染」事项请酌情保留或撤回。',
    );
    expect(text).not.toMatch(/^未记录领导选择/m);
  });
});
