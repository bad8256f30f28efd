// The rules of issue 21 on planted series: a series starts where its data really starts, a one-off burst is not a
// season (neither for the seasonal baseline nor for a surge warning), calendars are data, monthly ranges come
// from the model, and the backtest summary pools by scale with identical series counted once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { sustainedStart, trimToSustained, type KeyedSeries } from '../../src/forecast/series.js';
import { seasonalIndex, dampedTrendFit } from '../../src/forecast/smooth.js';
import { recursInPastSeasons, surgeFromSeries } from '../../src/forecast/surge.js';
import { forecastSeries } from '../../src/forecast/models.js';
import { modelContext } from '../../src/forecast/engine.js';
import { forecastConfig } from '../../src/forecast/config.js';
import { dayNum, dayStr } from '../../src/forecast/features.js';
import { monthlyRanges } from '../../src/forecast/months.js';
import { summarize, type BacktestPoint } from '../../src/forecast/backtest.js';
import { testConfig } from '../helpers.js';
import { poisson, rng } from './fixture.js';

const START = dayNum('2021-01-04');

describe('sustained start', () => {
  it('skips stray rows years before the real start, and a trickle just before it', () => {
    const r = rng(3);
    const real = Array.from({ length: 150 }, () => poisson(r, 40));
    // 3 orders in week 0, 600 empty weeks, 2 orders, 2 empty weeks, then the real series
    const y = [3, ...new Array<number>(600).fill(0), 2, 0, 0, ...real];
    expect(sustainedStart(y)).toBe(604);
    const s: KeyedSeries = { category: 'A', level: 1, scopeLevel: 'city', scopeName: 'c', start: START, y };
    const { series, ignored } = trimToSustained([s]);
    expect(series[0].y).toEqual(real);
    expect(series[0].start).toBe(START + 7 * 604);
    expect(ignored).toHaveLength(1);
    expect(ignored[0].orders).toBe(5);
    expect(ignored[0].firstDay).toBe(START);
  });

  it('keeps a sparse series whole: its silences are its rate, not a break', () => {
    const r = rng(4);
    // about one order in three weeks: 8-week silences happen, but 8 × 0.33 < 7
    const y = Array.from({ length: 300 }, (_, i) => (i === 0 ? 1 : poisson(r, 0.33)));
    expect(sustainedStart(y)).toBe(0);
  });
});

describe('a one-off burst is not a season', () => {
  // flat at 50 a week for three years, one burst of 500 in a single week two years … one year before the end
  const y = Array.from({ length: 156 }, () => 50);
  y[156 - 52 + 3] = 500;

  it('the robust seasonal index does not copy it forward', () => {
    // week 4 ahead is the burst's week: of its two past years the flat one (index 1) is taken
    expect(Math.max(...seasonalIndex(y, 8)!)).toBeLessThan(60);
    // the same wave in both past years is a season: followed
    const twice = y.slice();
    twice[156 - 104 + 3] = 500;
    expect(seasonalIndex(twice, 8)![3]).toBeGreaterThan(150);
  });

  it('no surge warning of a wave seen in one past season only', () => {
    const ctx = modelContext(testConfig({ forecast: { calendar: 'none' } }));
    // a forecast that copies the burst (what snaive_growth did): 8 weeks at 50 except 400 in week 4
    const s = { start: START, y };
    const f = forecastSeries(s, 8, ctx);
    const copied = {
      ...f,
      model: 'glm' as const,
      points: f.points.map((p, k) => (k === 3 ? { ...p, yhat: 400, lo: 350, hi: 450 } : p)),
    };
    expect(surgeFromSeries(s, copied, ctx.cfg.surge, [])).toBeNull();
    // the same forecast when both past seasons had the wave is warned of
    const twice = y.slice();
    twice[156 - 104 + 3] = 500;
    expect(surgeFromSeries({ start: START, y: twice }, copied, ctx.cfg.surge, [])).not.toBeNull();
  });

  it('recursInPastSeasons needs the wave in both of the last two seasons', () => {
    const data = dayNum('2024-01-01');
    const hist = Array.from({ length: 116 }, (_, i) => ({ week_start: dayStr(data - 7 * (116 - i)), n: 10 }));
    const bump = (weeksBack: number) => (hist[116 - weeksBack].n = 40);
    bump(52 - 2); // a year ago, two weeks after the data week
    expect(recursInPastSeasons(hist, data, data + 14, data + 14)).toBe(false);
    bump(104 - 2);
    expect(recursInPastSeasons(hist, data, data + 14, data + 14)).toBe(true);
  });
});

describe('calendars as data', () => {
  it('none: no holiday columns, and China’s heating, flood and school windows off unless set', () => {
    const ctx = modelContext(testConfig({ forecast: { calendar: 'none' } }));
    expect(ctx.holidays).toEqual([]);
    expect(ctx.cfg.heatingStart).toBeNull();
    expect(ctx.cfg.floodSeason).toBeNull();
    expect(ctx.spec.names.some((n) => n.startsWith('sf_') || n === 'holiday' || n.startsWith('heat'))).toBe(false);
    const own = modelContext(
      testConfig({ forecast: { calendar: 'none', heatingStart: '10-15', heatingEnd: '04-15' } }),
    );
    expect(own.spec.names).toContain('heat_on');
  });

  it('a holiday file of the same columns is read relative to the config', () => {
    const file = join(tmpdir(), `weisu-holidays-${process.pid}.csv`);
    writeFileSync(
      file,
      'year,holiday,name_zh,date,start,end,source\n2025,national_day,Thanksgiving,2025-11-27,2025-11-27,2025-11-28,official\n',
    );
    const ctx = modelContext(testConfig({ forecast: { calendar: file } }));
    expect(ctx.holidays).toHaveLength(1);
    expect(ctx.spec.names).toContain('holiday');
    expect(ctx.spec.names.some((n) => n.startsWith('sf_'))).toBe(false);
  });

  it('cn by default, and the heating pattern covers 采暖', () => {
    const cfg = forecastConfig(testConfig());
    expect(cfg.calendar).toBe('cn');
    expect(new RegExp(cfg.seasonalPatterns.heating, 'i').test('城乡建设/采暖')).toBe(true);
  });
});

describe('monthly ranges from the model', () => {
  it('are narrower than the sum of weekly bounds, and hold the pro-rated mean', () => {
    const r = rng(5);
    const y = Array.from({ length: 200 }, () => poisson(r, 100));
    const ctx = modelContext(testConfig({ forecast: { calendar: 'none' } }));
    const s = { start: START, y };
    const f = forecastSeries(s, 13, ctx);
    const months = monthlyRanges(f, 0.8);
    const full = months.find((m) => m.coveredDays >= 28)!;
    expect(full.yhat).toBeGreaterThan(full.coveredDays * 12);
    expect(full.yhat).toBeLessThan(full.coveredDays * 17);
    const weeks = f.points.filter((p) => dayStr(p.week).slice(0, 7) === full.month.slice(0, 7));
    const sumLo = weeks.reduce((a, p) => a + p.lo, 0);
    const sumHi = weeks.reduce((a, p) => a + p.hi, 0);
    expect(full.hi - full.lo).toBeLessThan(sumHi - sumLo);
    expect(full.lo).toBeLessThan(full.yhat);
    expect(full.hi).toBeGreaterThan(full.yhat);
  });

  it('the damped trend’s own spread grows with the horizon', () => {
    const r = rng(6);
    const { dispersion } = dampedTrendFit(
      Array.from({ length: 120 }, () => poisson(r, 30)),
      8,
    );
    for (let k = 1; k < 8; k++) expect(dispersion[k]).toBeGreaterThanOrEqual(dispersion[k - 1]);
  });
});

describe('backtest summary', () => {
  const pt = (category: string, level: 1 | 2, actual: number, yhat: number, scale: number): BacktestPoint => ({
    category,
    level,
    scopeLevel: 'city',
    scopeName: 'c',
    seasonal: false,
    origin: '2025-01-06',
    horizon: 4,
    week: '2025-01-27',
    actual,
    yhat,
    lo: 0,
    hi: 1e9,
    snaive: actual + scale,
    scale,
    model: 'damped',
  });

  it('pools by scale, so a tiny series cannot swamp a large one, and counts a 大类 equal to its 小类 once', () => {
    // a big series forecast well (error 10 on scale 100), a tiny one badly (error 7 on scale 1)
    const points = [pt('大', 1, 1000, 1010, 100), pt('大/小', 2, 1000, 1010, 100), pt('小类少', 2, 3, 10, 1)];
    const all = summarize(points).summary.find((s) => s.group === 'all')!;
    expect(all.series).toBe(2);
    expect(all.mase).toBeCloseTo((10 + 7) / (100 + 1), 6);
    // the per-series average would have been (0.1 + 7) / 2 = 3.55
    expect(all.relative_geomean).toBeCloseTo(Math.sqrt(0.1 * 7), 6);
  });
});
