/**
 * Complementary error function, Chebyshev fit (Numerical Recipes erfcc): fractional error below 1.2e-7 everywhere,
 * so tiny p-values keep their relative precision — what Benjamini–Hochberg over many tests needs.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** One-sided upper-tail p-value of a standard normal z: P(Z ≥ z). */
export function upperP(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(k) = min over j ≥ k of p_(j) m / j, capped at 1. A test is a
 * discovery at false-discovery rate α when q ≤ α.
 */
export function bhAdjust(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  const q = new Float64Array(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r];
    running = Math.min(running, (p[i] * m) / (r + 1));
    q[i] = running;
  }
  return q;
}

function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

/** P(X ≥ x) for X ~ Poisson(mean), summed from the tail itself so small values keep their precision. */
export function poissonUpper(x: number, mean: number): number {
  if (x <= 0) return 1;
  if (!(mean > 0)) return 0;
  if (x <= mean) return 1; // not in the upper tail: no evidence of excess
  let term = Math.exp(-mean + x * Math.log(mean) - logFactorial(x));
  let sum = term;
  for (let k = x + 1; term > sum * 1e-15 && k < x + 10_000; k++) {
    term *= mean / k;
    sum += term;
  }
  return Math.min(1, sum);
}
