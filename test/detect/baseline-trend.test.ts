import { describe, expect, it } from 'vitest';
import { baselineAt } from '../../src/detect/baseline.js';

/** Deterministic Poisson draws (Knuth) from a small LCG, so the test is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function poisson(mu: number, u: () => number): number {
  // normal approximation is enough above ~30 and keeps the loop short
  if (mu > 30)
    return Math.max(0, Math.round(mu + Math.sqrt(mu) * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())));
  let k = 0;
  let p = 1;
  const l = Math.exp(-mu);
  do {
    k++;
    p *= u();
  } while (p > l);
  return k - 1;
}

/** Week index 0 is the newest; the category's share of a flat total follows share(weeksBack). */
function series(share: (w: number) => number, seed: number, weeks = 200) {
  const u = rng(seed);
  const total = new Float64Array(weeks).fill(10000);
  const y = new Float64Array(weeks);
  for (let w = 0; w < weeks; w++) y[w] = poisson(share(w) * total[w], u);
  return { y, total };
}

describe('baseline drift term', () => {
  it('follows a share that has fallen for three years, where the flat baseline lags above it', () => {
    // 100 a week three years ago, 50 now
    const { y, total } = series((w) => 0.005 * 2 ** (w / 156), 7);
    const flat = baselineAt(y, total, 199, 0, 1, false)!;
    const drift = baselineAt(y, total, 199, 0, 1, true)!;
    expect(flat.mu).toBeGreaterThan(62);
    expect(drift.mu).toBeGreaterThan(42);
    expect(drift.mu).toBeLessThan(58);
    // the extrapolation is less certain than the flat mean
    expect(drift.base).toBeLessThan(flat.base);
  });

  it('drops a rising drift whose prediction is above every share of the baseline (Farrington), keeping the flat one', () => {
    // 50 a week three years ago, 100 now: the line predicts ~100, the baseline's largest week is ~85
    const { y, total } = series((w) => 0.01 * 2 ** (-w / 156), 7);
    const flat = baselineAt(y, total, 199, 0, 1, false)!;
    const drift = baselineAt(y, total, 199, 0, 1, true)!;
    expect(drift.mu).toBe(flat.mu);
  });

  it('keeps the flat baseline on a series without drift', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { y, total } = series(() => 0.006, seed);
      const flat = baselineAt(y, total, 199, 0, 1, false)!;
      const drift = baselineAt(y, total, 199, 0, 1, true)!;
      expect(drift.mu).toBeCloseTo(flat.mu, 6);
    }
  });

  it('needs more than one earlier year before it fits a drift', () => {
    const { y, total } = series((w) => 0.01 * 2 ** (-w / 52), 5, 80);
    const flat = baselineAt(y, total, 79, 0, 1, false)!;
    const drift = baselineAt(y, total, 79, 0, 1, true)!;
    expect(drift.mu).toBe(flat.mu);
  });
});
