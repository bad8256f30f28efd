import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTopics } from '../../src/topics/stage.js';
import { countsOnly, reasonSentences } from '../../src/topics/reasons.js';
import { monthWindows, seasonPair } from '../../src/topics/month.js';
import { springFestivals } from '../../src/forecast/calendar.js';
import { addDays, daysBetween } from '../../src/store/dates.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from './fixture.js';

const SCHOOL = ['学校门口上下学时段交通拥堵', '校门口摊贩占道经营', '学校周边网吧接纳未成年人'];
const PROPERTY = ['小区物业不作为，楼道垃圾无人清理', '物业费收取不合理，服务质量差', '物业公司不维修电梯'];

// The embedded calendar's Spring Festivals (2025-01-29, 2026-02-17): the fixture's break follows them, whatever they are.
const SF = springFestivals();

/** Orders around schools: 10 a day in term, 2 a day in the winter break (three weeks either side of the festival). */
function schoolTerm(day: string): number {
  const sf = SF.get(Number(day.slice(0, 4)));
  return sf !== undefined && Math.abs(daysBetween(sf, day)) < 21 ? 2 : 10;
}

describe('last year’s pair of months behind 环比’s season', () => {
  const sf = new Map([
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
  ]);
  it('sits at the same distance from the Spring Festival when the festival falls near the months compared', () => {
    const p = seasonPair(monthWindows('2026-04'), 31, sf);
    // February and March 2026 moved back by the 384 days between the two festivals
    expect(p).toEqual({
      prevStart: '2025-01-13',
      prevEnd: '2025-02-10',
      lastStart: '2025-02-10',
      lastEnd: '2025-03-13',
      alignedOn: '2026-02-17',
    });
    expect(daysBetween(p.prevStart, '2025-01-29')).toBe(daysBetween('2026-02-01', '2026-02-17'));
  });
  it('is the same calendar months a year earlier far from the festival, or without it in the calendar', () => {
    const plain = { prevStart: '2025-08-01', prevEnd: '2025-09-01', lastStart: '2025-09-01', lastEnd: '2025-10-01' };
    expect(seasonPair(monthWindows('2026-10'), 31, sf)).toEqual({ ...plain, alignedOn: null });
    expect(seasonPair(monthWindows('2026-04'), 31, new Map())).toEqual({
      prevStart: '2025-02-01',
      prevEnd: '2025-03-01',
      lastStart: '2025-03-01',
      lastEnd: '2025-04-01',
      alignedOn: null,
    });
    // data that stops on the 20th of last month: each window counts its first 20 days
    const cut = seasonPair(monthWindows('2026-04'), 20, sf);
    expect([cut.prevEnd, cut.lastEnd]).toEqual([addDays('2025-01-13', 20), addDays('2025-02-10', 20)]);
  });
});

type Env = Awaited<ReturnType<typeof tempStore>>;

describe('a 环比 made by the moving Spring Festival', () => {
  let env: Env;
  beforeEach(async () => {
    env = await tempStore();
    await seedOrders(
      env.store,
      [
        { cat2: '教育/学校周边', perDay: schoolTerm, texts: SCHOOL },
        { cat2: '城乡建设/物业管理', perDay: steady(60), texts: PROPERTY },
      ],
      '2024-01-01',
      '2026-04-01',
    );
  });
  afterEach(() => env.cleanup());

  it('is the season under the Chinese calendar: February 2026 held the whole break, February 2025 did not', async () => {
    const res = await runTopics(testContext(env.store, '2026-04-01'));
    const s = res.scored.find((x) => x.metrics.category === '教育/学校周边')!;
    // March over February: nearly four times, from the break alone
    expect(s.derived.mom).toBeGreaterThan(2.5);
    expect(Math.abs(s.derived.momAdjusted!)).toBeLessThan(0.05);
    expect(s.components.mom).toBe(0);
    expect(s.excludedWhy).toBe('routine');
    expect(s.derived.lyAligned).toBe(true);
    // the reader is told which months last year's figure compares
    expect(reasonSentences(s, countsOnly('测试市'))[0]).toMatch(/去年按春节对齐的同期环比增至\d\.\d倍/);
  });

  it('is compared month with month under calendar none (a city without the festival)', async () => {
    const res = await runTopics(testContext(env.store, '2026-04-01', { forecast: { calendar: 'none' } }));
    const s = res.scored.find((x) => x.metrics.category === '教育/学校周边')!;
    // the same calendar months a year earlier: February 2025 held only half the break
    expect(s.derived.momAdjusted).toBeGreaterThan(0.5);
    expect(s.derived.lyAligned).toBe(false);
  });
});
