// The Poisson upper tail for the hotspot excess test. It stays here, not in src/stats: a count at or below its
// mean gets p = 1 because hotspots look only for excess, unlike detect's tail.
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
