import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { joinPlace } from '../../src/store/place-names.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * Real exports an evaluator brings look like this: five days of a month (an open-data sample), no 满意度 column,
 * district and street names in Latin letters. The report must say what the data is, not read it as a month.
 */
describe('report on a five-day export without ratings', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let md: string;
  beforeAll(async () => {
    env = await tempStore();
    await seedOrders(
      env.store,
      [{ cat2: 'Sanitation/Bulky Items', perDay: steady(40), texts: ['6122 E MESA AVE, 90042'] }],
      '2025-10-27',
      '2025-11-01',
    );
    // the export has no satisfaction column: every order loads with it empty
    await env.store.exec('UPDATE orders SET satisfaction = NULL');
    const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
    md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  }, 60_000);
  afterAll(() => env.cleanup());

  it('gives no 不满意率 when no order carries a rating, and says why', () => {
    const kpi = md.split('\n').find((l) => l.includes('**不满意率**'))!;
    expect(kpi).toContain('—');
    expect(kpi).not.toContain('0%');
    expect(md).toContain('上月工单均无满意度评价');
  });

  it('says the month holds only the days the data covers', () => {
    expect(md).toContain('工单数据从2025-10-27开始，2025年10月只有5天的数据');
  });
});

describe('report on an export that began late in the month before last', () => {
  it('gives no 环比 against a month the data covers only partly (4 of 30 days would read as +650 %)', async () => {
    const env = await tempStore();
    try {
      await seedOrders(
        env.store,
        [{ cat2: 'Road/Pot hole', perDay: steady(40), texts: ['Quilter Rd / Burnett Ave'] }],
        '2025-09-27',
        '2025-11-01',
      );
      const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
      const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
      const kpi = md.split('\n').find((l) => l.includes('有效诉求**'))!;
      expect(kpi).toContain('环比 —');
      expect(md).not.toMatch(/环比\+\d/);
      // the summary sentence leaves out what it cannot give instead of a dash inside the sentence
      expect(md).toContain('全市受理有效诉求');
      expect(md).not.toMatch(/(同比|环比)—/);
    } finally {
      env.cleanup();
    }
  }, 60_000);
});

describe('report on an empty store', () => {
  it('says there were no orders, not that they carried no rating', async () => {
    const env = await tempStore();
    try {
      const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
      const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
      const kpi = md.split('\n').find((l) => l.includes('**不满意率**'))!;
      expect(kpi).toContain('上月没有工单');
      expect(md).not.toContain('均无满意度评价');
    } finally {
      env.cleanup();
    }
  }, 60_000);
});

describe('report for a month after the data stopped', () => {
  it('has no "前0天" figures: the month had no orders at all', async () => {
    const env = await tempStore();
    try {
      await seedOrders(
        env.store,
        [{ cat2: '城乡建设/供暖', perDay: steady(20), texts: ['暖气不热'] }],
        '2025-08-01',
        '2025-08-20',
      );
      const counts = await reportStage.run(testContext(env.store, '2025-10-01', {}, join(env.dir, 'out')));
      const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
      expect(md).toContain('2025年9月没有任何工单入库');
      expect(md).not.toContain('前0天');
      expect(md.split('\n').find((l) => l.includes('有效诉求**'))).toContain('—');
    } finally {
      env.cleanup();
    }
  }, 60_000);
});

describe('report on a message board of a few orders a month', () => {
  it('gives the city 环比 as counts, not a percentage of 9 orders', async () => {
    const env = await tempStore();
    try {
      // September: one message on each of the 1st–9th; October: one on each of the 20th–25th
      const perDay = (d: string) =>
        d < '2025-10-01' ? (Number(d.slice(8)) <= 9 ? 1 : 0) : Number(d.slice(8)) >= 20 ? 1 : 0;
      await seedOrders(env.store, [{ cat2: '城乡建设', perDay, texts: ['小区停水'] }], '2025-09-01', '2025-10-26');
      const counts = await reportStage.run(testContext(env.store, '2025-11-01', {}, join(env.dir, 'out')));
      const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
      const kpi = md.split('\n').find((l) => l.includes('有效诉求**'))!;
      expect(kpi).toContain('环比 9件→6件');
      expect(kpi).not.toMatch(/环比 [-+]/);
    } finally {
      env.cleanup();
    }
  }, 60_000);
});

describe('place names', () => {
  it('run Chinese names together and keep a space between Latin ones', () => {
    expect(joinPlace(['高新区', '解放街道', '康泰西里社区'])).toBe('高新区解放街道康泰西里社区');
    expect(joinPlace(['Herb J. Wesson Jr.', 'MACARTHUR PARK NC'])).toBe('Herb J. Wesson Jr. MACARTHUR PARK NC');
    expect(joinPlace(['QUEENS', null, '90 AVENUE'])).toBe('QUEENS 90 AVENUE');
    expect(joinPlace(['东区', 'MACARTHUR PARK NC'])).toBe('东区MACARTHUR PARK NC');
    expect(joinPlace([null, undefined, ''])).toBe('');
  });
});
