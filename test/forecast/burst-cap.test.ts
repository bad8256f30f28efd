// docs/unseen-data.md #25 on every model (qa-zh Z1): a category near zero for a year, then a 4-week burst to ~35
// (人民网 三农 in the gas crisis of December 2022) — no model's path, and not the blend, forecasts past the highest
// week of the fitting window by more than RISE_ROOM, nor grows week on week after it. The blend had read 27, 84,
// 129, …, 1,253 a week there: ETS on log counts carried the burst's slope on at φ 0.98.
import { describe, expect, it } from 'vitest';
import { candidateForecasts, forecastSeries } from '../../src/forecast/models.js';
import { etsLog } from '../../src/forecast/comb.js';
import { forecastCap, RISE_ROOM } from '../../src/forecast/smooth.js';
import { modelContext } from '../../src/forecast/engine.js';
import { dayNum } from '../../src/forecast/features.js';
import { testConfig } from '../helpers.js';
import { poisson, rng } from './fixture.js';

const START = dayNum('2022-01-03');

/** 44 weeks of 0–1 orders (Poisson 0.2), then 3, 4 and a 4-week burst to 35, seeded (on main: blend 205–1,316 by week 8). */
function burst(seed: number): number[] {
  const r = rng(seed);
  const y = Array.from({ length: 44 }, () => poisson(r, 0.2));
  return [...y, 3, 4, 7, 17, 30, 35];
}

describe('a short burst after months near zero is not carried on by any model', () => {
  const ctx = modelContext(testConfig({ forecast: { calendar: 'none' } }));

  it('ETS on log counts stays near the highest week instead of doubling every week and a half', () => {
    for (const seed of [1, 2, 3]) {
      const f = etsLog(burst(seed), 8)!;
      // the log scale's mean correction above 35 at most, flat after the first week
      expect(Math.max(...f), `seed ${seed}`).toBeLessThan(1.5 * 35);
      expect(f[7]).toBeLessThanOrEqual(f[0] + 1e-9);
    }
  });

  it('every candidate path is at most RISE_ROOM × the window’s highest week', () => {
    for (const seed of [1, 2, 3]) {
      const y = burst(seed);
      const cap = forecastCap(y);
      expect(cap).toBeCloseTo(RISE_ROOM * 35, 9);
      for (const [m, f] of Object.entries(candidateForecasts({ start: START, y }, 8, ctx)))
        for (const v of f!) expect(v, `seed ${seed} ${m}`).toBeLessThanOrEqual(cap + 1e-9);
    }
  });

  it('the blend’s forecast and band do not grow past it week on week', () => {
    for (const seed of [1, 2, 3]) {
      const y = burst(seed);
      const f = forecastSeries({ start: START, y }, 8, ctx, { preferred: 'blend' });
      for (const p of f.points) expect(p.yhat, `seed ${seed} ${f.model}`).toBeLessThanOrEqual(RISE_ROOM * 35 + 1e-9);
      // the band widens with the horizon, but from a flat forecast: no bound runs off (it read 3,127 at week 8)
      for (const p of f.points) expect(p.hi, `seed ${seed}`).toBeLessThan(4 * 35);
    }
  });
});
