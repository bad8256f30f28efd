import { describe, expect, it } from 'vitest';
import { TopicsConfigSchema } from '../../src/topics/config.js';
import { reasonSentences } from '../../src/topics/reasons.js';
import { derive, pickCandidates, scoreAll, type Calendar, type CategoryMetrics, type Extras } from '../../src/topics/score.js';

const cfg = TopicsConfigSchema.parse({});
const cal: Calendar = { daysLast: 30, daysPrev: 31, daysLy: 30, daysLyNext: 31, daysNext: 31, hasPrev: true, hasYearAgo: true };
const none: Extras = { structural: null, hotShare: null, forecast: null, alerts: 0 };

function cat(category: string, n_last: number, n_ly: number, n_prev = n_ly, extra: Partial<CategoryMetrics> = {}): CategoryMetrics {
  return { level: 2, category, cat1: category.split('/')[0], n_last, n_prev: Math.round((n_prev * 31) / 30), n_ly, n_ly_next: n_ly, n_oos_last: 0, n_repeat_last: 0, n_unsat_last: 0, n_closed_last: 0, ...extra };
}
const city = (n_last: number, n_ly: number): CategoryMetrics => ({ ...cat('x', n_last, n_ly), level: 0, category: null, cat1: null });

describe('score components', () => {
  it('a rise on few orders scores below a similar rise on many (lower confidence bound)', () => {
    const c = city(20_000, 20_000);
    const small = derive(cat('a/small', 70, 40), c, none, cal, cfg).components;
    const big = derive(cat('a/big', 850, 500), c, none, cal, cfg).components;
    expect(small.yoy).toBeGreaterThan(0);
    expect(big.yoy).toBeGreaterThan(small.yoy);
    expect(big.excess).toBeGreaterThan(small.excess);
  });

  it('a rise within noise does not count at all', () => {
    const d = derive(cat('a/b', 110, 100), city(20_000, 20_000), none, cal, cfg);
    expect(d.derived.yoy).toBeCloseTo(0.1, 5);
    expect(d.components.yoy).toBe(0);
    expect(d.components.excess).toBe(0);
  });

  it('takes the growth of the other categories out of yoy', () => {
    // everything else grew 20%: a category that grew 20% has not risen
    const d = derive(cat('a/b', 1200, 1000), city(1200 + 12_000, 1000 + 10_000), none, cal, cfg);
    expect(d.derived.cityGrowth).toBeCloseTo(0.2, 5);
    expect(d.derived.yoyAdjusted).toBeCloseTo(0, 5);
    expect(d.components.yoy).toBe(0);
  });

  it('weights are documented and sum to 1', () => {
    expect(Object.values(cfg.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('leaves out what config excludes, and fills no gap with routine categories', () => {
    const rows = [city(20_000, 20_000), cat('a/rise', 900, 500), cat('b/flat', 5000, 5000), cat('c/excl', 900, 500)];
    const scored = scoreAll(rows, () => none, cal, { ...cfg, exclude: ['c'] });
    const picked = pickCandidates(scored, 3);
    expect(picked.map((s) => s.metrics.category)).toEqual(['a/rise']);
    expect(scored.find((s) => s.metrics.category === 'c/excl')?.excludedWhy).toBe('excluded_by_config');
    expect(scored.find((s) => s.metrics.category === 'b/flat')?.excludedWhy).toBe('routine');
  });
});

describe('reason sentences', () => {
  it('counts every hot cell that holds the share, not just the few cells listed', () => {
    const [scored] = scoreAll([city(20_000, 20_000), cat('a/b', 1000, 500)], () => ({ ...none, hotShare: 0.094 }), cal, cfg);
    const listed = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const lines = reasonSentences(scored, { cityName: '测试市', rootCauses: [], structuralShare: null, hotspots: listed, hotCells: 25, alertReasons: [] });
    expect(lines).toContain('9%的诉求集中在25个热点网格');
  });
});
