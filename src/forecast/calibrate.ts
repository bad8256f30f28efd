import { MAX_ALPHA, nbQuantile } from './nb.js';

/** Fewest backtest points (horizons j−2 … j+2 pooled) a horizon's band is calibrated on; fewer: the fallback. */
const MIN_POINTS = 12;
/** Bisection steps for one point's dispersion on the log scale between 1e-3 and MAX_ALPHA (to within 3 %). */
const STEPS = 8;
const LOG_MIN = Math.log(1e-3);

/**
 * The negative-binomial band of the chosen model calibrated on its own rolling-origin errors (split-conformal): per
 * horizon, the smallest dispersion whose band around each backtest forecast holds the share `coverage` of the
 * backtest actuals of horizons j−2 … j+2, with the finite-sample correction ⌈(n+1)·coverage⌉ / n; never shrinking
 * as the horizon grows. The method-of-moments dispersion sized the band by the errors' variance, which a few large
 * misses inflate (Boston 311: 92 % of weeks inside an 80 % band); the conformal rule sizes it by how many
 * actuals each width holds. Horizons with fewer than MIN_POINTS points keep `fallback`.
 */
export function conformalDispersion(
  errors: Array<Array<[number, number]>>,
  h: number,
  coverage: number,
  fallback: number[],
): number[] {
  const tail = (1 - coverage) / 2;
  // the least dispersion at which each backtest point falls inside its band (Infinity: not even at MAX_ALPHA)
  const need = errors.map((e) => e.map(([a, f]) => leastAlpha(a, Math.max(f, 0), tail)));
  const out: number[] = [];
  for (let j = 0; j < h; j++) {
    const pool: number[] = [];
    for (let jj = Math.max(0, j - 2); jj <= Math.min(need.length - 1, j + 2); jj++) pool.push(...need[jj]);
    let a = fallback[j];
    if (pool.length >= MIN_POINTS) {
      pool.sort((x, y) => x - y);
      const k = Math.min(pool.length, Math.ceil((pool.length + 1) * coverage));
      a = Math.min(MAX_ALPHA, pool[k - 1]);
    }
    out.push(Math.max(a, j > 0 ? out[j - 1] : 0));
  }
  return out;
}

/** The least dispersion whose band around mu holds the actual a (bisection on the log scale; 0 when Poisson's does). */
function leastAlpha(a: number, mu: number, tail: number): number {
  const inside = (alpha: number): boolean =>
    a >= Math.min(mu, nbQuantile(mu, alpha, tail)) && a <= Math.max(mu, nbQuantile(mu, alpha, 1 - tail));
  if (inside(0)) return 0;
  if (!inside(MAX_ALPHA)) return Infinity;
  let lo = LOG_MIN;
  let hi = Math.log(MAX_ALPHA);
  for (let i = 0; i < STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (inside(Math.exp(mid))) hi = mid;
    else lo = mid;
  }
  return Math.exp(hi);
}
