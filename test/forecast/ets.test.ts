import { describe, expect, it } from 'vitest';
import { etsForecast, nelderMead } from '../../src/forecast/ets.js';
import { rankSeries, forecastSeries, type ModelContext } from '../../src/forecast/models.js';
import { modelContext } from '../../src/forecast/engine.js';
import { nbQuantile } from '../../src/forecast/nb.js';
import { configFrom } from '../../src/store/config.js';
import { poisson, rng } from './fixture.js';

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(1e-12, r()))) * Math.cos(2 * Math.PI * r());
}

describe('Nelder–Mead', () => {
  it('finds the minimum of a curved valley (Rosenbrock) from a distant start', () => {
    const f = (x: number[]) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
    const x = nelderMead(f, [-1.2, 1], 0.5, 2000);
    expect(x[0]).toBeCloseTo(1, 2);
    expect(x[1]).toBeCloseTo(1, 2);
  });
});

describe('ETS by likelihood', () => {
  it('follows a local level: the forecast sits near the latest level, not the long mean', () => {
    const r = rng(11);
    // a random walk level (σ 3 a week) observed with noise (σ 3): the local-level model, α about 0.6
    let level = 200;
    const y = Array.from({ length: 200 }, (_, i) => {
      level += 3 * normal(r) + (i === 150 ? 60 : 0);
      return Math.max(0, level + 3 * normal(r));
    });
    const f = etsForecast(y, 4)!;
    const last4 = y.slice(-4).reduce((a, b) => a + b, 0) / 4;
    const all = y.reduce((a, b) => a + b, 0) / y.length;
    expect(Math.abs(f[0] - last4)).toBeLessThan(12);
    expect(Math.abs(f[0] - all)).toBeGreaterThan(Math.abs(f[0] - last4));
  });

  it('carries a steady trend on, damped: rising but by less each week', () => {
    const r = rng(12);
    const y = Array.from({ length: 156 }, (_, i) => 100 + 2 * i + 4 * normal(r));
    const f = etsForecast(y, 8)!;
    const last = 100 + 2 * 155;
    expect(f[0]).toBeGreaterThan(last - 10);
    expect(f[7]).toBeGreaterThan(f[0] + 5);
    // damping (φ ≤ 0.98): never more than the full slope
    expect(f[7] - f[0]).toBeLessThanOrEqual(2 * 7 + 1e-9);
  });

  it('fits series with zeros (additive errors only) and never forecasts below zero or NaN', () => {
    const r = rng(13);
    const y = Array.from({ length: 120 }, () => poisson(r, 0.4));
    for (const v of etsForecast(y, 13)!) expect(Number.isFinite(v) && v >= 0).toBe(true);
    expect(etsForecast([1, 2, 3], 4)).toBeNull();
  });
});

describe('blend of the direct regression, ETS and the other parts', () => {
  const ctx: ModelContext = modelContext(configFrom({ forecast: { calendar: 'none' } }));

  /** Four years of a yearly wave (×4 at week 20), then its fifth wave does not come: the series stays at its base. */
  function brokenSeason(seed: number): number[] {
    const r = rng(seed);
    return Array.from({ length: 52 * 4 + 22 }, (_, i) => {
      const d = (((i % 52) - 20 + 26) % 52) - 26;
      const wave = i < 52 * 4 ? 3 * Math.exp(-(d * d) / 18) : 0;
      return poisson(r, 50 * (1 + wave));
    });
  }

  it('moves its weight to ETS when the season breaks from its course, and scores it on past origins only', () => {
    const y = brokenSeason(21);
    const ranking = rankSeries({ start: 0, y }, 8, ctx)!;
    const blend = ranking.ranked.find((sc) => sc.model === 'blend')!;
    expect(blend).toBeDefined();
    const w = Object.fromEntries(blend.weights!);
    expect(Object.keys(w).sort()).toEqual(['comb_sa', 'combo', 'direct', 'ets', 'ets_log', 'glm']);
    // the parts that know the season's course forecast the usual wave at the latest origins; ETS the base that came
    expect(w.direct + w.combo + w.glm).toBeLessThan(0.2);
    expect(w.ets + w.ets_log).toBeGreaterThan(0.5);
    expect(Object.values(w).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // its backtest has two origins fewer than its parts: at origin i the weights come from origins i+2 …
    const direct = ranking.ranked.find((sc) => sc.model === 'direct')!;
    expect(blend.errors[0].length).toBe(direct.errors[0].length - 2);
    // the store's default (no challenger by default: challengerMargin 0), its forecast is the weighted sum of its
    // parts: near the base, not the wave
    expect(ctx.cfg.challengerMargin).toBe(0);
    const f = forecastSeries({ start: 0, y }, 8, ctx, { ranking, preferred: 'blend' });
    expect(f.model).toBe('blend');
    for (const p of f.points) expect(p.yhat).toBeLessThan(80);
    // its band is calibrated on its own backtest (conformal): at every horizon it holds at least 80% of the blend's
    // backtest actuals of the horizons around it (sized as the widest part's, 85% of the real series' weeks at 1–4 weeks ahead)
    for (let j = 0; j < 8; j++) {
      const pts = blend.errors.slice(Math.max(0, j - 2), j + 3).flat();
      const inside = pts.filter(
        ([a, m]) =>
          a >= Math.min(m, nbQuantile(m, f.alpha[j], 0.1)) && a <= Math.max(m, nbQuantile(m, f.alpha[j], 0.9)),
      ).length;
      expect(inside / pts.length, `week ${j + 1}`).toBeGreaterThanOrEqual(0.8);
    }
  });
});

describe("the blend's weights read the latest weeks", () => {
  const ctx: ModelContext = modelContext(configFrom({ forecast: { calendar: 'none' } }));

  /** Four years of a yearly wave (×4 at week 20); the fifth does not come, the series ends `end` weeks into it. */
  function brokenSeason(seed: number, end: number): number[] {
    const r = rng(seed);
    return Array.from({ length: 52 * 4 + end }, (_, i) => {
      const d = (((i % 52) - 20 + 26) % 52) - 26;
      const wave = i < 52 * 4 ? 3 * Math.exp(-(d * d) / 18) : 0;
      return poisson(r, 50 * (1 + wave));
    });
  }

  it('moves off the season-knowing parts while the wave has been missing only 4–5 weeks', () => {
    // the wave would have been 1.2–2.2× the base over weeks 13–17 and 3–4× over the weeks forecast; 50 a week came
    let season = 0,
      err = 0,
      cases = 0;
    for (const end of [17, 18])
      for (const seed of [21, 22, 23]) {
        const y = brokenSeason(seed, end);
        const ranking = rankSeries({ start: 0, y }, 8, ctx)!;
        const w = Object.fromEntries(ranking.ranked.find((sc) => sc.model === 'blend')!.weights!);
        season += w.direct + w.combo + w.glm;
        const f = forecastSeries({ start: 0, y }, 8, ctx, { ranking, preferred: 'blend' });
        err += f.points.reduce((a, p) => a + Math.abs(p.yhat - 50), 0) / 8;
        cases++;
      }
    // weights from the origins 8 and 12 weeks old (before): 0.33 on those parts, 25.6 a week off the base
    expect(season / cases).toBeLessThan(0.28);
    expect(err / cases).toBeLessThan(20);
  });
});
