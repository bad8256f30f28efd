import { describe, expect, it } from 'vitest';
import { countsOnly, reasonSentences } from '../../src/topics/reasons.js';
import { derive, pickCandidates, scoreAll, type Calendar } from '../../src/topics/score.js';
import { cal, cat, cfg, city, none } from './metrics.js';

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
    const [scored] = scoreAll(
      [city(20_000, 20_000), cat('a/b', 1000, 500)],
      () => ({ ...none, hotShare: 0.094 }),
      cal,
      cfg,
    );
    const listed = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const lines = reasonSentences(scored, {
      cityName: '测试市',
      rootCauses: [],
      structuralShare: null,
      hotspots: listed,
      hotCells: 25,
      alertReasons: [],
    });
    expect(lines).toContain('9%的诉求集中在25个热点区块');
  });
});

describe('the season in 环比 and in the wave ahead', () => {
  const cal2: Calendar = { ...cal, daysLyPrev: 31, hasYearAgoPrev: true };
  it('a 环比 that last year made as well is the season: no mom credit, and says so', () => {
    // heating: October 100 → November 1,000, and the same a year earlier (90 → 950); 同比 flat
    const m = cat('城乡建设/供暖', 1000, 950, 100, { n_ly_prev: 90, n_recent: 500 });
    const c = city(20_000, 19_000);
    const d = derive(m, c, none, cal2, cfg);
    expect(d.derived.mom).toBeGreaterThan(8);
    expect(d.derived.lyMom).toBeGreaterThan(8);
    expect(Math.abs(d.derived.momAdjusted!)).toBeLessThan(0.1);
    expect(d.components.mom).toBe(0);
    // without last year's October the raw 环比 counts, as before
    const raw = derive(m, c, none, { ...cal2, hasYearAgoPrev: false }, cfg);
    expect(raw.derived.momAdjusted).toBeNull();
    expect(raw.components.mom).toBeGreaterThan(0.9);
    const [scored] = scoreAll([c, m], () => none, cal2, cfg);
    const line = reasonSentences(scored, countsOnly('测试市'))[0];
    expect(line).toMatch(/环比增至\d+\.\d倍（去年同期环比增至\d+\.\d倍，扣除季节变化后(基本持平|上升\d%|下降\d%)）/);
  });

  it('a coming month above last month but below its last two weeks is the wave passing, not coming', () => {
    // 300 orders last month, 280 of them in its last 14 days (20 a day against the month's 10); forecast 15 a day
    const passing = cat('城乡建设/供暖', 300, 300, 300, { n_ly_prev: 300, n_recent: 280 });
    const fc = { yhat: 15 * 31, lo: 12 * 31, hi: 18 * 31, source: 'forecast' as const };
    const d = derive(passing, city(20_000, 20_000), { ...none, forecast: fc }, cal2, cfg);
    expect(d.derived.aheadBase).toBe('recent');
    expect(d.derived.ahead).toBeLessThan(0);
    expect(d.components.forecast).toBe(0);
    // the same month with its orders spread evenly: the forecast is a rise of half
    const coming = derive({ ...passing, n_recent: 140 }, city(20_000, 20_000), { ...none, forecast: fc }, cal2, cfg);
    expect(coming.derived.aheadBase).toBe('month');
    expect(coming.derived.ahead).toBeCloseTo(0.5, 5);
    expect(coming.components.forecast).toBeGreaterThan(0);
  });
});

describe('percentages from a few orders', () => {
  it('a 环比 or 同比 from fewer than ten orders is given as counts', () => {
    const m = cat('城市管理/园林绿化', 35, 3, 2);
    const [scored] = scoreAll([city(900, 800), m], () => none, cal, cfg);
    const line = reasonSentences(scored, countsOnly('青禾县'))[0];
    expect(line).toBe('上月35件，同比由3件增至35件，环比由2件增至35件');
  });

  it('equal counts are 持平, not 增至 (a board with one message in each of two months)', () => {
    const m = cat('交通运输', 1, 0, 1);
    const [scored] = scoreAll([city(6, 5), m], () => none, cal, cfg);
    const line = reasonSentences(scored, countsOnly('青禾县'))[0];
    expect(line).toContain('环比持平（均为1件）');
    expect(line).not.toContain('增至');
  });
});

describe('a season that fell last year', () => {
  it('is not taken out of 环比: a smaller fall this year is no rise', () => {
    const cal2: Calendar = { ...cal, daysLyPrev: 30, hasYearAgoPrev: true };
    // flooding: September 1,960 → October 1,078 this year (−45%); last year 3,000 → 1,050 (−65%), a stormier September
    const m = cat('城市管理/排水防涝', 1078, 1050, 1960, { n_ly_prev: 3000, n_recent: 480 });
    const d = derive(m, city(80_000, 74_000), none, cal2, cfg);
    expect(d.derived.mom).toBeLessThan(-0.4);
    expect(d.derived.momAdjusted).toBeCloseTo(d.derived.mom!, 10);
    expect(d.components.mom).toBe(0);
    const [scored] = scoreAll([city(80_000, 74_000), m], () => none, cal2, cfg);
    const line = reasonSentences(scored, countsOnly('测试市'))[0];
    expect(line).not.toMatch(/扣除季节变化/);
  });
});

describe('a forecast for a category of a few orders', () => {
  it('gives the figure without a percentage against last month', () => {
    const m = cat('生态环境/水污染', 1, 0, 0, { n_recent: 1 });
    const fc = { yhat: 0.4, lo: 0, hi: 2, source: 'forecast' as const };
    const [scored] = scoreAll([city(60, 50), m], () => ({ ...none, forecast: fc }), cal, cfg);
    const lines = reasonSentences(scored, countsOnly('测试市'));
    const line = lines.find((l) => l.startsWith('预测本月'))!;
    expect(line).toMatch(/^预测本月约0件/);
    expect(line).not.toMatch(/%|倍/);
  });
});

describe('a forecast that has not seen a young rise', () => {
  it('says so beside a rising category, instead of a bare 下降', () => {
    const cal2: Calendar = { ...cal, daysLyPrev: 30, hasYearAgoPrev: true };
    // a city-wide rise three weeks old: last month 4,735 (yoy +52%), its last 14 days 2,600; forecast 3,105 for 30 days
    const m = cat('交通运输/停车管理', 4735, 2900, 3000, { n_ly_prev: 2950, n_recent: 2600 });
    const fc = { yhat: 3105, lo: 2500, hi: 3700, source: 'forecast' as const };
    const [scored] = scoreAll([city(80_000, 74_000), m], () => ({ ...none, forecast: fc }), cal2, cfg);
    const lines = reasonSentences(scored, countsOnly('测试市'));
    expect(lines[1]).toMatch(
      /^预测本月约3,105件，较上月最后两周日均水平下降\d+%；此预测按往年规律，尚未计入近期上升，若上升持续将明显更高$/,
    );
    // with the level shift followed, no caveat
    const [shifted] = scoreAll(
      [city(80_000, 74_000), m],
      () => ({ ...none, forecast: { ...fc, yhat: 5600, levelShift: 1.6 } }),
      cal2,
      cfg,
    );
    expect(reasonSentences(shifted, countsOnly('测试市'))[1]).not.toMatch(/尚未计入/);
  });
});

describe('last year’s 环比 in the reason', () => {
  it('is the plain figure as counted, not the score’s smoothed one', () => {
    const cal2: Calendar = { ...cal, daysLyPrev: 30, hasYearAgoPrev: true };
    // last year 28 → 49 orders (+75 %; with 5 added to each, +64 %)
    const m = cat('教育/学校周边', 180, 49, 60, { n_ly_prev: 28, n_recent: 90 });
    const [scored] = scoreAll([city(20_000, 19_000), m], () => none, cal2, cfg);
    expect(scored.derived.lyMom).toBeCloseTo(54 / 33 - 1, 6);
    expect(scored.derived.lyMomPlain).toBeCloseTo(49 / 28 - 1, 6);
    const line = reasonSentences(scored, countsOnly('测试市'))[0];
    expect(line).toContain('去年同期环比上升75%');
    // this year's 环比 over last year's plain one, as the reader can check from the two figures shown
    const shown = (1 + scored.derived.mom!) / (1 + 0.75) - 1;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(1);
    expect(line).toContain(`扣除季节变化后上升${Math.round(shown * 100)}%`);
  });

  it('is not quoted from a base of a few orders', () => {
    const cal2: Calendar = { ...cal, daysLyPrev: 30, hasYearAgoPrev: true };
    const m = cat('教育/学校周边', 180, 20, 60, { n_ly_prev: 6, n_recent: 90 });
    const [scored] = scoreAll([city(20_000, 19_000), m], () => none, cal2, cfg);
    expect(reasonSentences(scored, countsOnly('测试市'))[0]).not.toContain('去年同期环比');
  });
});
