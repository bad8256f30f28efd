// Finding 9 of docs/unseen-data.md on invented series: one month's burst after months of near silence must not be
// extrapolated as growth by the damped trend, and the 80% band must stay finite and ordered with room above the
// forecast, however large the model's spread.
import { describe, expect, it } from 'vitest';
import { dampedTrend } from '../../src/forecast/smooth.js';
import { forecastSeries, noSuddenWidening } from '../../src/forecast/models.js';
import { nbQuantile } from '../../src/forecast/nb.js';
import { modelContext } from '../../src/forecast/engine.js';
import { dayNum } from '../../src/forecast/features.js';
import { testConfig } from '../helpers.js';
import { poisson, rng } from './fixture.js';

const START = dayNum('2015-01-05');

/** 47 weeks with 3 scattered orders, then a 4-week burst of 172 rising to its last week (the shape Boston showed). */
function burstSeries(): number[] {
  const y = new Array<number>(47).fill(0);
  y[5] = 1;
  y[20] = 1;
  y[33] = 1;
  return [...y, 4, 15, 45, 108];
}

describe('a one-off burst is not a trend', () => {
  it('the damped trend does not grow past the last weeks of a burst', () => {
    const y = burstSeries();
    const f = dampedTrend(y, 22);
    // flat at the last week's level (times the log scale's mean correction), not rising week on week: the old code
    // read 140 million by week 22
    expect(Math.max(...f)).toBeLessThanOrEqual(1.25 * 108);
    for (let k = 1; k < f.length; k++) expect(f[k]).toBeLessThanOrEqual(f[k - 1] + 1e-9);
  });

  it('the chosen model’s forecast of such a series does not grow either, and its band is ordered', () => {
    const ctx = modelContext(testConfig({ forecast: { calendar: 'none' } }));
    const f = forecastSeries({ start: START, y: burstSeries() }, 13, ctx, { preferred: 'damped' });
    const total = f.points.reduce((a, p) => a + p.yhat, 0);
    // 13 weeks at most the last week's level each (the old code summed to ~3,000 with 423 in week 13)
    expect(total).toBeLessThanOrEqual(13 * 108);
    expect(f.points[12].yhat).toBeLessThanOrEqual(f.points[0].yhat + 1e-9);
    for (const p of f.points) {
      expect(Number.isFinite(p.hi)).toBe(true);
      expect(p.lo).toBeLessThanOrEqual(p.yhat);
      expect(p.hi).toBeGreaterThan(p.yhat);
      // no absurd upper bound: within a few times the forecast
      expect(p.hi).toBeLessThan(10 * Math.max(p.yhat, 1));
    }
  });

  it('a steep end on a trending series at most doubles the last level, however far ahead', () => {
    const r = rng(22);
    const y = Array.from({ length: 104 }, (_, i) => poisson(r, 1000 * Math.exp(0.002 * i)));
    let v = y[103];
    for (let i = 0; i < 5; i++) y.push(poisson(r, (v *= 1.3)));
    const f = dampedTrend(y, 26);
    expect(f[0]).toBeGreaterThan(y[y.length - 1]);
    expect(Math.max(...f)).toBeLessThan(2.2 * y[y.length - 1]);
  });

  it('a rise over the last weeks of a small series is not carried past its last level', () => {
    // a year of 0–2 orders a week, the last third a little busier, then a 7-week rise to 36 (the shape of a heating
    // season's burst in a small board export): the thirds' medians move by one order, the last weeks by 30
    const r = rng(23);
    const y = Array.from({ length: 43 }, (_, i) => poisson(r, i < 28 ? 0.3 : 0.9));
    y.push(2, 3, 5, 8, 16, 28, 36);
    const f = dampedTrend(y, 8);
    // the last level times the log scale's mean correction, not the burst's slope carried on: the
    // old code carried that on to twice the last week
    expect(Math.max(...f)).toBeLessThanOrEqual(1.25 * 36);
    expect(f[7]).toBeLessThan(1.2 * f[0]);
  });

  it('the band never more than doubles its dispersion from one week to the next', () => {
    expect(noSuddenWidening([0.01, 0.01, 0.02, 2, 2, 2])).toEqual([0.25, 0.5, 1, 2, 2, 2]);
    const y = Array.from({ length: 43 }, (_, i) => poisson(rng(24), i < 28 ? 0.3 : 0.9));
    y.push(2, 3, 5, 8, 16, 28, 36);
    const ctx = modelContext(testConfig({ forecast: { calendar: 'none' } }));
    const f = forecastSeries({ start: START, y }, 8, ctx, { preferred: 'damped' });
    for (let k = 1; k < f.alpha.length; k++) expect(f.alpha[k]).toBeLessThanOrEqual(2 * f.alpha[k - 1] + 1e-12);
  });

  it('a trend seen across the whole window is still followed', () => {
    const r = rng(21);
    // steady growth of 1.5% a week for two years
    const y = Array.from({ length: 104 }, (_, i) => poisson(r, 40 * Math.exp(0.015 * i)));
    const f = dampedTrend(y, 8);
    const last8 = y.slice(-8).reduce((a, b) => a + b, 0) / 8;
    expect(f[7]).toBeGreaterThan(last8);
  });
});

describe('the band of a very uncertain forecast', () => {
  it('stays ordered with room above the mean, and finite, under any dispersion', () => {
    for (const mu of [5, 152.48, 423.45, 5000]) {
      for (const alpha of [0.1, 1, 10, 1000]) {
        const lo = nbQuantile(mu, alpha, 0.1);
        const hi = nbQuantile(mu, alpha, 0.9);
        expect(lo, `mu ${mu} alpha ${alpha}`).toBeLessThanOrEqual(mu);
        expect(hi, `mu ${mu} alpha ${alpha}`).toBeGreaterThan(mu);
        expect(hi, `mu ${mu} alpha ${alpha}`).toBeLessThan(10 * mu);
      }
    }
  });
});
