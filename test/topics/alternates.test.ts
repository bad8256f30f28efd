import { describe, expect, it } from 'vitest';
import { pickAlternates } from '../../src/topics/alternates.js';
import { TopicsConfigSchema } from '../../src/topics/config.js';
import { pickCandidates, scoreAll, type Calendar, type CategoryMetrics, type Extras } from '../../src/topics/score.js';

const cfg = TopicsConfigSchema.parse({});
const cal: Calendar = {
  daysLast: 30,
  daysPrev: 31,
  daysLy: 30,
  daysLyNext: 31,
  daysNext: 31,
  hasPrev: true,
  hasYearAgo: true,
};
const none: Extras = { structural: null, hotShare: null, forecast: null, alerts: 0 };

function cat(category: string, n_last: number, n_ly: number, level: 1 | 2 = 2): CategoryMetrics {
  return {
    level,
    category,
    cat1: level === 1 ? category : category.split('/')[0],
    n_last,
    n_prev: Math.round((n_ly * 31) / 30),
    n_ly,
    n_ly_next: n_ly,
    n_oos_last: 0,
    n_repeat_last: 0,
    n_unsat_last: 0,
    n_closed_last: 0,
  };
}
const city = { ...cat('x', 20_000, 20_000), level: 0 as const, category: null, cat1: null };

function run(rows: CategoryMetrics[], wanted = 3) {
  const c = { ...cfg, candidates: wanted };
  const scored = scoreAll([city, ...rows], () => none, cal, c);
  const picked = pickCandidates(scored, wanted);
  return { picked, alternates: pickAlternates(scored, picked, c, '测试市') };
}

describe('备选 when fewer than two categories pass the bar', () => {
  it('fills to three with the next scored categories, saying why each is weaker', () => {
    const { picked, alternates } = run([
      cat('生态/噪声', 900, 400), // the one clear rise
      cat('城建/物业', 1_800, 1_800), // large and flat
      cat('安全/消防', 25, 5), // a jump, but small
      cat('外事/签证', 0, 0), // nothing last month: never offered
    ]);
    expect(picked.map((p) => p.metrics.category)).toEqual(['生态/噪声']);
    expect(alternates.map((a) => a.rank)).toEqual([2, 3]);
    const why = Object.fromEntries(alternates.map((a) => [a.category, a]));
    expect(Object.keys(why).sort()).toEqual(['城建/物业', '安全/消防']);
    expect(why['安全/消防'].excluded_why).toBe('too_small');
    expect(why['安全/消防'].weaker[0]).toBe('上月仅25件，低于30件的候选门槛，本月也没有预计会明显增多');
    expect(why['城建/物业'].excluded_why).toBe('routine');
    expect(why['城建/物业'].weaker[0]).toMatch(
      /^按评分口径（扣除全市总量增长与季节变化后）同比基本持平、环比基本持平，上升不明显或不够确定/,
    );
    expect(why['城建/物业'].reasons[0]).toMatch(/^上月1,800件/);
  });

  it('offers none when two or more pass, or when the city asks for one topic', () => {
    expect(
      run([cat('生态/噪声', 900, 400), cat('交通/停车', 800, 350), cat('城建/物业', 1_800, 1_790)]).alternates,
    ).toEqual([]);
    expect(run([cat('生态/噪声', 900, 400), cat('城建/物业', 1_800, 1_790)], 1).alternates).toEqual([]);
  });

  it('never offers a category overlapping the candidate, and prefers the level-2 category that carries its level-1', () => {
    const { alternates } = run([
      cat('生态/噪声', 900, 400),
      cat('生态', 1_000, 500, 1), // the candidate's own level-1 category
      cat('城建', 1_850, 1_840, 1),
      cat('城建/物业', 1_800, 1_790),
    ]);
    const names = alternates.map((a) => a.category);
    expect(names).not.toContain('生态');
    expect(names).toContain('城建/物业');
    expect(names).not.toContain('城建');
  });
});
