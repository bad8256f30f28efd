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
      const a = r(), b = r() < 0.3 ? 1 : 0;
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
    for (const [mu, alpha] of [[3, 0.2], [40, 0.05], [2000, 0.01]] as const) {
      const lo = nbQuantile(mu, alpha, 0.1), hi = nbQuantile(mu, alpha, 0.9);
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
});

describe('rolling-origin backtest on a city with planted seasonality', () => {
  it('beats the 52-week seasonal naive by more than 15% (MASE) with 80% intervals covering 72–90%', async () => {
    const t = await tempStore();
    try {
      await insertDays(t.store, fixtureDays({ start: '2020-01-06', end: '2024-12-30', seed: 21 }));
      const { series, end } = await loadAllSeries(t.store, '全市');
      const points = backtestSeries(series, end, testConfig(), { from: '2023-01-02', to: '2024-10-28', horizons: [4, 8], stepWeeks: 4 });
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
