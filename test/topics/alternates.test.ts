import { describe, expect, it } from 'vitest';
import { pickAlternates } from '../../src/topics/alternates.js';
import { pickCandidates, scoreAll, type CategoryMetrics } from '../../src/topics/score.js';
import { cal, cat, cfg, city, none } from './metrics.js';

// a level-1 category's month when level is 1
const catAt = (category: string, n_last: number, n_ly: number, level: 1 | 2 = 2): CategoryMetrics =>
  cat(category, n_last, n_ly, n_ly, level === 1 ? { level: 1, cat1: category } : {});

function run(rows: CategoryMetrics[], wanted = 3) {
  const c = { ...cfg, candidates: wanted };
  const scored = scoreAll([city(20_000, 20_000), ...rows], () => none, cal, c);
  const picked = pickCandidates(scored, wanted);
  return { picked, alternates: pickAlternates(scored, picked, c, '测试市') };
}

describe('备选 when fewer than two categories pass the bar', () => {
  it('fills to three with the next scored categories, saying why each is weaker', () => {
    const { picked, alternates } = run([
      catAt('生态/噪声', 900, 400), // the one clear rise
      catAt('城建/物业', 1_800, 1_800), // large and flat
      catAt('安全/消防', 25, 5), // a jump, but small
      catAt('外事/签证', 0, 0), // nothing last month: never offered
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
      run([catAt('生态/噪声', 900, 400), catAt('交通/停车', 800, 350), catAt('城建/物业', 1_800, 1_790)]).alternates,
    ).toEqual([]);
    expect(run([catAt('生态/噪声', 900, 400), catAt('城建/物业', 1_800, 1_790)], 1).alternates).toEqual([]);
  });

  it('never offers a category overlapping the candidate, and prefers the level-2 category that carries its level-1', () => {
    const { alternates } = run([
      catAt('生态/噪声', 900, 400),
      catAt('生态', 1_000, 500, 1), // the candidate's own level-1 category
      catAt('城建', 1_850, 1_840, 1),
      catAt('城建/物业', 1_800, 1_790),
    ]);
    const names = alternates.map((a) => a.category);
    expect(names).not.toContain('生态');
    expect(names).toContain('城建/物业');
    expect(names).not.toContain('城建');
  });
});
