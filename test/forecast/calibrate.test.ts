// The 80% band sized on the chosen model's own backtest errors (conformal): on series whose weeks are mostly near
// their level with an occasional large miss, the variance-based (method-of-moments) band held 90% of the weeks ahead here;
// calibrated on how many backtest actuals each width holds it holds about 80%.
import { describe, expect, it } from 'vitest';
import { forecastSeries } from '../../src/forecast/models.js';
import { conformalDispersion } from '../../src/forecast/calibrate.js';
import { modelContext } from '../../src/forecast/engine.js';
import { dayNum } from '../../src/forecast/features.js';
import { testConfig } from '../helpers.js';
import { poisson, rng } from './fixture.js';

const START = dayNum('2021-01-04');

describe('conformal band', () => {
  it('holds about 80% of the weeks ahead when a few weeks are far off (heavy-tailed misses)', () => {
    const r = rng(31);
    const ctx = modelContext(testConfig({ forecast: { calendar: 'none' } }));
    let inside = 0;
    let total = 0;
    for (let rep = 0; rep < 40; rep++) {
      // level 60 a week; one week in ten a one-off spike of ×4
      const y = Array.from({ length: 130 }, () => poisson(r, r() < 0.1 ? 240 : 60));
      const f = forecastSeries({ start: START, y: y.slice(0, 122) }, 8, ctx, { preferred: 'damped' });
      f.points.forEach((p, k) => {
        total++;
        if (y[122 + k] >= p.lo && y[122 + k] <= p.hi) inside++;
      });
    }
    expect(inside / total).toBeGreaterThan(0.72);
    expect(inside / total).toBeLessThan(0.88);
  });

  it('keeps the fallback where the backtest has too few points, and never shrinks with the horizon', () => {
    const few: Array<Array<[number, number]>> = [[[10, 10]], [[10, 12]]];
    expect(conformalDispersion(few, 2, 0.8, [0.3, 0.4])).toEqual([0.3, 0.4]);
    const r = rng(32);
    const errors = Array.from({ length: 6 }, (_, j) =>
      Array.from({ length: 10 }, () => [poisson(r, 100 * (1 + 0.3 * j * (r() - 0.5))), 100] as [number, number]),
    );
    const a = conformalDispersion(errors, 6, 0.8, new Array<number>(6).fill(0.5));
    for (let k = 1; k < 6; k++) expect(a[k]).toBeGreaterThanOrEqual(a[k - 1]);
    expect(a[5]).toBeLessThanOrEqual(1);
  });
});
