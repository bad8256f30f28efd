import { describe, expect, it } from 'vitest';
import { fitPoisson, predictPoisson } from '../../src/forecast/glm.js';
import { nbQuantile } from '../../src/forecast/nb.js';
import { forecastSeries } from '../../src/forecast/models.js';
import { modelContext } from '../../src/forecast/engine.js';
import { backtestSeries, loadAllSeries, summarize } from '../../src/forecast/backtest.js';
import { dayNum } from '../../src/forecast/features.js';
import { tempStore, testConfig } from '../helpers.js';
import { fixtureDays, insertDays, poisson, rng } from './fixture.js';

describe('Poisson regression (IRLS)', () => {
  it('recovers the coefficients of simulated counts', () => {
    const r = rng(1);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const a = r(),
        b = r() < 0.3 ? 1 : 0;
      x.push([1, a, b]);
      y.push(poisson(r, Math.exp(2 + 0.8 * a - 0.7 * b)));
    }
    const fit = fitPoisson(x, y, { ridge: 0, unpenalized: [0, 1, 2] });
    expect(fit.beta[0]).toBeCloseTo(2, 1);
    expect(fit.beta[1]).toBeCloseTo(0.8, 1);
    expect(fit.beta[2]).toBeCloseTo(-0.7, 1);
    expect(predictPoisson(fit.beta, [1, 0.5, 0])).toBeCloseTo(Math.exp(2.4), -0.5);
  });

  it('survives all-zero and constant responses', () => {
    const x = Array.from({ length: 30 }, (_, i) => [1, i / 30]);
    for (const y of [new Array(30).fill(0), new Array(30).fill(5)]) {
      const fit = fitPoisson(x, y, { ridge: 0.5, unpenalized: [0] });
      for (const b of fit.beta) expect(Number.isFinite(b)).toBe(true);
    }
  });
});

describe('negative-binomial quantiles', () => {
  it('cover 80% of simulated gamma-Poisson draws, small and large means', () => {
    const r = rng(9);
    for (const [mu, alpha] of [
      [3, 0.2],
      [40, 0.05],
      [2000, 0.01],
    ] as const) {
      const lo = nbQuantile(mu, alpha, 0.1),
        hi = nbQuantile(mu, alpha, 0.9);
      let inside = 0;
      const n = 4000;
      for (let i = 0; i < n; i++) {
        // Gamma(shape 1/alpha, scale alpha·mu) by the sum of exponentials is slow for small alpha: use Wilson–Hilferty.
        const k = 1 / alpha;
        const z = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
        const g = k * Math.pow(1 - 1 / (9 * k) + z * Math.sqrt(1 / (9 * k)), 3) * alpha * mu;
        const v = poisson(r, Math.max(0, g));
        if (v >= lo && v <= hi) inside++;
      }
      expect(inside / n, `mu ${mu}`).toBeGreaterThan(0.77);
      expect(inside / n, `mu ${mu}`).toBeLessThan(0.9);
    }
  });
});

describe('model choice and fallbacks', () => {
  const ctx = modelContext(testConfig());
  it('uses the mean below 12 weeks, never NaN, and zeros for a zero series', () => {
    const start = dayNum('2024-01-01');
    const short = forecastSeries({ start, y: [3, 0, 5] }, 8, ctx);
    expect(short.model).toBe('mean');
    expect(short.points.every((p) => p.yhat > 0 && p.lo >= 0 && p.hi >= p.yhat)).toBe(true);
    const zero = forecastSeries({ start, y: new Array(200).fill(0) }, 8, ctx);
    expect(zero.model).toBe('zero');
    expect(zero.points.every((p) => p.yhat === 0 && p.hi === 0)).toBe(true);
    const one = forecastSeries({ start, y: [...new Array(150).fill(0), 1] }, 8, ctx);
    expect(one.points.every((p) => Number.isFinite(p.yhat) && p.yhat >= 0)).toBe(true);
  });

  it('forecasts the flood-season wave from 80 weeks of history, not a flat mean', () => {
    // ~45 a week, ~400 in July–August: a city with a year and a half of data, the next wave 8 weeks ahead. The
    // seasonal candidates were compared only when scored at all 10 origins, i.e. from ~105 weeks of history.
    const r = rng(3);
    const fromPeak = (i: number) => {
      const d = (((i - 30) % 52.18) + 52.18) % 52.18;
      return d > 26.09 ? d - 52.18 : d;
    };
    const wave = (i: number) => 45 + 355 * Math.exp(-0.5 * (fromPeak(i) / 3.5) ** 2);
    const weeks = 80; // weeks 30 and 82: the peaks; the history ends 2 weeks before the second
    const y = Array.from({ length: weeks }, (_, i) => poisson(r, wave(i)));
    const f = forecastSeries({ start: dayNum('2024-01-01'), y }, 8, ctx);
    expect(f.model).not.toBe('mean');
    const peak = Math.max(...f.points.map((p) => p.yhat));
    expect(peak).toBeGreaterThan(150);
    expect(peak).toBeLessThan(700);
  });
});

describe('rolling-origin backtest on a city with planted seasonality', () => {
  it('beats the 52-week seasonal naive by more than 15% (MASE) with 80% intervals covering 72–90%', async () => {
    const t = await tempStore();
    try {
      await insertDays(t.store, fixtureDays({ start: '2020-01-06', end: '2024-12-30', seed: 21 }));
      const { series, end } = await loadAllSeries(t.store, '全市');
      const points = backtestSeries(series, end, testConfig(), {
        from: '2023-01-02',
        to: '2024-10-28',
        horizons: [4, 8],
        stepWeeks: 4,
      });
      const { summary, rows } = summarize(points);
      for (const s of summary.filter((x) => x.group === 'all')) {
        expect(s.improvement!, `h=${s.horizon}`).toBeGreaterThan(0.15);
        expect(s.coverage!).toBeGreaterThan(0.72);
        expect(s.coverage!).toBeLessThan(0.9);
      }
      expect(rows.find((r) => r.category === '城乡建设/供暖' && r.scope.level === 'city')!.seasonal).toBe(true);
      expect(rows.find((r) => r.category === '城乡建设/道路' && r.scope.level === 'city')!.seasonal).toBe(false);
    } finally {
      t.cleanup();
    }
  }, 120_000);
});

describe('level shifts', () => {
  // the mechanism on the calendar models, which learn a level from years and do not follow a break by themselves
  const calendarOnly = { candidates: ['glm', 'glm_level', 'mean'] };
  const ctx = modelContext(testConfig(), calendarOnly);
  const off = modelContext(testConfig(), { ...calendarOnly, levelShiftWeeks: 0 });
  const start = dayNum('2022-01-03');
  const weeks = 200;
  // a yearly wave around 60 a week, a little over-dispersed (gamma-Poisson, α ≈ 0.01)
  const mu = (i: number) => 60 * (1 + 0.4 * Math.sin((2 * Math.PI * i) / 52.18));
  const draw = (seed: number, scale: (i: number) => number) => {
    const r = rng(seed);
    return Array.from({ length: weeks }, (_, i) =>
      poisson(r, mu(i) * scale(i) * (1 + 0.1 * Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()))),
    );
  };
  const ratio = (f: ReturnType<typeof forecastSeries>, expected: (i: number) => number) =>
    f.points.slice(0, 8).reduce((a, p) => a + p.yhat, 0) /
    Array.from({ length: 8 }, (_, k) => expected(weeks + k)).reduce((a, b) => a + b, 0);

  it('follows a category that tripled six weeks ago instead of forecasting a return to the old level', () => {
    const y = draw(7, (i) => (i >= weeks - 6 ? 3 : 1));
    const f = forecastSeries({ start, y }, 8, ctx);
    expect(f.levelShift).toBeDefined();
    expect(f.levelShift!.factor).toBeGreaterThan(2.2);
    expect(f.levelShift!.factor).toBeLessThan(3.8);
    expect(f.levelShift!.since).toBe(start + 7 * (weeks - 4));
    expect(ratio(f, (i) => 3 * mu(i))).toBeGreaterThan(0.8);
    expect(ratio(f, (i) => 3 * mu(i))).toBeLessThan(1.25);
    // the same series without the rule: the model alone forecasts well under half of the new level
    const plain = forecastSeries({ start, y }, 8, off);
    expect(plain.levelShift).toBeUndefined();
    expect(ratio(plain, (i) => 3 * mu(i))).toBeLessThan(0.6);
    // the interval is about the new level too
    expect(f.points[0].lo).toBeGreaterThan(1.5 * mu(weeks));
  });

  it('follows a rise eight weeks old even when one recent week fell back inside the band', () => {
    const y = draw(12, (i) => (i >= weeks - 8 ? 1.6 : 1));
    // one of the last four weeks near the old level: the four-week rule alone never fires
    y[weeks - 2] = Math.round(mu(weeks - 2) * 1.05);
    const f = forecastSeries({ start, y }, 8, ctx);
    expect(f.levelShift).toBeDefined();
    expect(f.levelShift!.since).toBe(start + 7 * (weeks - 8));
    expect(f.levelShift!.factor).toBeGreaterThan(1.35);
    expect(f.levelShift!.factor).toBeLessThan(1.8);
    expect(ratio(f, (i) => 1.6 * mu(i))).toBeGreaterThan(0.8);
  });

  it('with every model allowed, a tripled category is forecast above its old level, never below it', () => {
    // the damped-trend default, fitted before the break and rescaled, lands short of it (docs/forecast.md: a known limit)
    const y = draw(7, (i) => (i >= weeks - 6 ? 3 : 1));
    const f = forecastSeries({ start, y }, 8, modelContext(testConfig()));
    expect(ratio(f, (i) => mu(i))).toBeGreaterThan(1.2);
    expect(ratio(f, (i) => 3 * mu(i))).toBeLessThan(1.25);
  });

  it('hedges a momentum model judged against glm: the mean of its own forecast and glm rescaled', () => {
    const y = draw(7, (i) => (i >= weeks - 6 ? 3 : 1));
    const momentum = { candidates: ['direct', 'glm', 'mean'] };
    const f = forecastSeries({ start, y }, 8, modelContext(testConfig(), momentum));
    const own = forecastSeries({ start, y }, 8, modelContext(testConfig(), { ...momentum, levelShiftWeeks: 0 }));
    // glm judged against itself: rescaled in full (the same fit and factor as the reference above)
    const rescaled = forecastSeries({ start, y }, 8, ctx);
    expect(f.model).toBe('direct');
    expect(own.model).toBe('direct');
    expect(rescaled.model).toBe('glm');
    expect(f.levelShift?.factor).toBeCloseTo(rescaled.levelShift!.factor, 6);
    for (let k = 0; k < 8; k++)
      expect(f.points[k].yhat).toBeCloseTo((own.points[k].yhat + rescaled.points[k].yhat) / 2, 6);
    // the two differ (direct half-follows the break), so the mean is neither of them
    expect(Math.abs(own.points[0].yhat - rescaled.points[0].yhat)).toBeGreaterThan(5);
  });

  it('follows a fall as well (a department fixed the problem)', () => {
    const f = forecastSeries({ start, y: draw(8, (i) => (i >= weeks - 5 ? 0.3 : 1)) }, 8, ctx);
    expect(f.levelShift?.factor).toBeLessThan(0.45);
    expect(ratio(f, (i) => 0.3 * mu(i))).toBeLessThan(1.4);
  });

  it('does not carry a two-week spike forward, nor shift quiet series', () => {
    const spike = forecastSeries({ start, y: draw(9, (i) => (i >= weeks - 3 && i < weeks - 1 ? 3 : 1)) }, 8, ctx);
    expect(spike.levelShift).toBeUndefined();
    let shifted = 0;
    for (let seed = 100; seed < 140; seed++)
      if (forecastSeries({ start, y: draw(seed, () => 1) }, 8, ctx).levelShift) shifted++;
    expect(shifted).toBeLessThanOrEqual(1);
  });

  it('leaves series of a few orders a week alone: there four misses in a row are the fit, not a new level', () => {
    // a district's category at about half an order a week, then 4–5 a week for four weeks (18 orders in all)
    const r = rng(11);
    const y = Array.from({ length: weeks }, (_, i) =>
      i >= weeks - 4 ? [4, 5, 4, 5][i - (weeks - 4)] : poisson(r, 0.5 * (mu(i) / 60)),
    );
    expect(forecastSeries({ start, y }, 8, ctx).levelShift).toBeUndefined();
    // the volume rule is what holds it back: without it the same weeks count as a shift
    const loose = modelContext(testConfig(), { ...calendarOnly, levelShiftMinWeekly: 0 });
    expect(forecastSeries({ start, y }, 8, loose).levelShift?.factor).toBeGreaterThan(2);
    // the same ninefold jump on a series of about 30 a week is followed
    const big = Array.from({ length: weeks }, (_, i) => poisson(r, 0.5 * mu(i) * (i >= weeks - 4 ? 9 : 1)));
    expect(forecastSeries({ start, y: big }, 8, ctx).levelShift?.factor).toBeGreaterThan(1.25);
  });

  it('waits out the Spring Festival season, where the moving holiday is the usual misfit', () => {
    // 213 weeks from 2022-01-03: the last four run to 2026-01-25, inside four weeks of the 2026 break (Feb 15)
    const n = 213;
    const r = rng(7);
    const y = Array.from({ length: n }, (_, i) => poisson(r, mu(i) * (i >= n - 6 ? 3 : 1)));
    expect(forecastSeries({ start, y }, 8, ctx).levelShift).toBeUndefined();
    // the same rise ending in the autumn is followed
    expect(
      forecastSeries({ start, y: y.slice(0, 200).map((v, i) => (i >= 194 ? poisson(r, 3 * mu(i)) : v)) }, 8, ctx)
        .levelShift,
    ).toBeDefined();
  });
});
