import { describe, expect, it } from 'vitest';
import { classicalIndices, combSa, etsLog, seasonalityTest } from '../../src/forecast/comb.js';
import { poisson, rng } from './fixture.js';

/** Weekly counts: base × (1 + amp × a yearly bump peaking at week 20 of each year), Poisson noise. */
function wave(seed: number, weeks: number, base: number, amp: number): number[] {
  const r = rng(seed);
  return Array.from({ length: weeks }, (_, i) => {
    const d = (((i % 52) - 20 + 26) % 52) - 26;
    return poisson(r, base * (1 + amp * Math.exp(-(d * d) / 18)));
  });
}

describe("M4's seasonality test and classical decomposition", () => {
  it('passes a yearly wave and fails Poisson noise around a flat level', () => {
    expect(seasonalityTest(wave(1, 156, 50, 2))).toBe(true);
    expect(seasonalityTest(wave(2, 156, 50, 0))).toBe(false);
    // under three years there is no test: no seasonal adjustment
    expect(seasonalityTest(wave(3, 150, 50, 2))).toBe(false);
  });

  it('recovers the planted indices, the peak week ×3 and a quiet week ×1 against the mean', () => {
    const y = wave(4, 156, 200, 2);
    const idx = classicalIndices(y);
    // index p is the week i with (i − n) mod 52 = p; n = 156 is a multiple of 52, so p is the week of the year
    const bump = (p: number) => Math.exp(-((((p - 20 + 26) % 52) - 26) ** 2) / 18);
    const mean = 1 + (2 * Array.from({ length: 52 }, (_, p) => bump(p)).reduce((a, b) => a + b)) / 52;
    expect(idx[20]).toBeGreaterThan((0.85 * 3) / mean);
    expect(idx[20]).toBeLessThan((1.15 * 3) / mean);
    expect(idx[45]).toBeGreaterThan(0.85 / mean);
    expect(idx[45]).toBeLessThan(1.15 / mean);
    expect(idx.reduce((a, b) => a + b) / 52).toBeCloseTo(1, 6);
  });
});

describe('Comb on the seasonally adjusted series', () => {
  it('forecasts the coming wave of a seasonal series and a flat level where the test fails', () => {
    // 3 years and 12 weeks: the wave (week 20) is 8 weeks ahead of the origin (week 12)
    const y = wave(5, 156 + 12, 100, 2);
    const f = combSa(y, 8)!;
    expect(f[7]).toBeGreaterThan(2 * f[0]);
    expect(f[7]).toBeGreaterThan(200);
    const flat = combSa(wave(6, 168, 100, 0), 8)!;
    for (const v of flat) expect(Math.abs(v - 100)).toBeLessThan(15);
    expect(combSa(wave(7, 60, 100, 2), 8)).toBeNull();
  });
});

describe('ETS on the log scale', () => {
  it('forecasts the level of a series whose noise grows with it, mean-corrected on the way back', () => {
    const r = rng(8);
    // log-normal noise with σ = 0.3 around 100: the mean is 100 × e^{0.045} ≈ 104.6
    const y = Array.from({ length: 156 }, () => {
      const u = Math.sqrt(-2 * Math.log(Math.max(1e-12, r()))) * Math.cos(2 * Math.PI * r());
      return Math.round(100 * Math.exp(0.3 * u));
    });
    const f = etsLog(y, 4)!;
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    for (const v of f) expect(Math.abs(v - mean) / mean).toBeLessThan(0.08);
    // without the correction the forecast would sit near the median (≈ 100), under the mean
    expect(f[0]).toBeGreaterThan(100);
  });
});
