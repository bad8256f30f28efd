import { describe, expect, it } from 'vitest';
import { directForecast } from '../../src/forecast/direct.js';
import { theta } from '../../src/forecast/smooth.js';
import { pooledDefault, type Ranking, type Scored } from '../../src/forecast/models.js';
import { poisson, rng } from './fixture.js';

/** A yearly wave (×4 at its peak in week 20 of each year) on a base of 50 a week, Poisson noise. */
function wave(weeks: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: weeks }, (_, i) => {
    const d = (((i % 52) - 20 + 26) % 52) - 26;
    return poisson(r, 50 * (1 + 3 * Math.exp(-(d * d) / 18)));
  });
}

describe('direct regression of the log growth', () => {
  it('needs two years and a season, and forecasts the coming wave from its past courses', () => {
    expect(directForecast(wave(100, 1), 8)).toBeNull();
    // 4 years, origin 8 weeks before the peak week (week 20 of the fifth year)
    const y = wave(52 * 4 + 12, 2);
    const f = directForecast(y, 8)!;
    expect(f).toHaveLength(8);
    // truth: 50·(1 + 3e^{-d²/18}) at d = −7 … 0
    const truth = Array.from({ length: 8 }, (_, k) => 50 * (1 + 3 * Math.exp(-((k - 7) ** 2) / 18)));
    for (let k = 0; k < 8; k++) expect(Math.abs(f[k] / truth[k] - 1), `week ${k + 1}`).toBeLessThan(0.25);
    // a flat forecast would miss the peak by ×4; the damped-trend family has no season to know it
    expect(f[7] / f[0]).toBeGreaterThan(2.5);
  });

  it('never forecasts below zero or NaN, on sparse counts too', () => {
    const r = rng(3);
    const y = Array.from({ length: 300 }, () => poisson(r, 0.3));
    for (const v of directForecast(y, 13)!) expect(Number.isFinite(v) && v >= 0).toBe(true);
  });
});

describe('theta', () => {
  it('holds a constant series and carries half of a steady log trend', () => {
    expect(theta(new Array<number>(80).fill(20), 4).every((v) => Math.abs(v - 20) < 1e-6)).toBe(true);
    const y = Array.from({ length: 120 }, (_, i) => Math.exp(3 + 0.02 * i) - 1);
    const f = theta(y, 8);
    // SES with α = 1 sits on the last value; the drift adds half the slope a week
    expect(Math.log(f[7] + 1) - Math.log(y[119] + 1)).toBeCloseTo(0.01 * 8, 2);
  });
});

describe('pooled default', () => {
  const ranking = (mae: Record<string, number>): Ranking => ({
    ranked: Object.entries(mae).map(([model, v]) => ({ model, mae: v, errors: [] }) as unknown as Scored),
    warm: {},
  });
  it('takes the model with the lowest error relative to the damped trend over the series, scale-free', () => {
    const small = (blend: number) => ranking({ blend, damped: 1, glm: 1.3, glm_level: 1.2 });
    // one huge series where glm wins by far, nine small ones where the blend wins by 10%
    const rankings = [
      ranking({ blend: 1000, damped: 1000, glm: 500, glm_level: 2000 }),
      ...Array.from({ length: 9 }, () => small(0.9)),
    ];
    expect(pooledDefault(rankings)).toBe('blend');
    // with no series able to vote: direct
    expect(pooledDefault([null])).toBe('direct');
    // the store chooses between the calendar regressions and the blend: the blend's parts are not candidates
    expect(pooledDefault([ranking({ damped: 1, direct: 0.1, combo: 0.2, blend: 0.9, glm: 0.95 })])).toBe('blend');
    // the best of the pool even where the damped trend (the yardstick) backtests better than all of them
    expect(pooledDefault([ranking({ damped: 1, blend: 1.2, glm: 1.5, glm_level: 1.4 })])).toBe('blend');
    const young = Array.from({ length: 5 }, () => ranking({ damped: 1, blend: 1.1, glm: 0.8 }));
    expect(pooledDefault(young)).toBe('glm');
    // a model only a few series have does not decide for the store
    expect(pooledDefault([...young, ...young, ranking({ damped: 1, glm_level: 0.1 })])).toBe('glm');
  });
});
