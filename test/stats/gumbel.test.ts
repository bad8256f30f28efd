import { describe, expect, it } from 'vitest';
import { fitGumbel, gumbelUpper } from '../../src/stats/gumbel.js';
import { mulberry32 } from '../../src/stats/random.js';

/** Draws from Gumbel(mu, beta) by inversion: x = mu − beta ln(−ln u). */
function draws(mu: number, beta: number, n: number, seed: number): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => mu - beta * Math.log(-Math.log(Math.max(rand(), 1e-300))));
}

describe('Gumbel', () => {
  it('recovers location and scale from its own draws by moments', () => {
    const g = fitGumbel(draws(8, 1.5, 20_000, 3));
    expect(g.mu).toBeCloseTo(8, 1);
    expect(g.beta).toBeCloseTo(1.5, 1);
  });

  it('gives the textbook tail: P(X ≥ mu) = 1 − 1/e, and exp(−z) far out', () => {
    const g = { mu: 2, beta: 0.5 };
    expect(gumbelUpper(2, g)).toBeCloseTo(1 - Math.exp(-1), 12);
    // 40 scales out: 1 − exp(−e^−40) is e^−40 ≈ 4.2e-18, which 1 − Math.exp(...) would round to 0
    expect(gumbelUpper(2 + 40 * 0.5, g) / Math.exp(-40)).toBeCloseTo(1, 9);
    expect(gumbelUpper(-100, g)).toBe(1);
  });

  it('puts about the right share of fresh draws beyond a fitted quantile', () => {
    const g = fitGumbel(draws(5, 2, 99, 11));
    const fresh = draws(5, 2, 50_000, 12);
    // the fitted 1 % point: fresh draws beyond it should be near 1 % (fit error of 99 maxima allowed)
    const x = g.mu - g.beta * Math.log(-Math.log(0.99));
    const share = fresh.filter((v) => v >= x).length / fresh.length;
    expect(gumbelUpper(x, g)).toBeCloseTo(0.01, 6);
    expect(share).toBeGreaterThan(0.003);
    expect(share).toBeLessThan(0.03);
  });

  it('is a step at its location when the sample has no spread', () => {
    const g = fitGumbel([4, 4, 4]);
    expect(g.beta).toBe(0);
    expect(gumbelUpper(4.1, g)).toBe(0);
    expect(gumbelUpper(4, g)).toBe(1);
  });
});
