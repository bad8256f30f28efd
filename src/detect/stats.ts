/**
 * Small numerical helpers for count tests. Hand-written rather than a dependency: the project needs only the
 * upper tail of a (quasi-)Poisson count, the normal tail and Benjamini–Hochberg.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x), Lanczos approximation (g = 7), accurate to ~1e-14 for x > 0. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return LOG_SQRT_2PI + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (a <= 0) return 1;
  const lnPre = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lnPre));
  }
  // continued fraction for Q(a, x) (modified Lentz)
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(lnPre) * h);
}

/** P(X ≥ k) for X ~ Poisson(mu); k may be fractional (continuous extension through the gamma function). */
export function poissonUpper(k: number, mu: number): number {
  if (k <= 0) return 1;
  if (mu <= 0) return 0;
  return gammaP(k, mu);
}

/**
 * One-sided p-value that a count `observed` exceeds what a quasi-Poisson with mean `expected` and dispersion
 * `phi` (variance = phi × mean) allows. Scaling by 1/phi keeps the Poisson shape with the right variance, which
 * is the usual quasi-Poisson tail and stays sensible for small counts where the normal approximation does not.
 */
export function quasiPoissonUpper(observed: number, expected: number, phi: number): number {
  const f = Math.max(1, phi);
  return poissonUpper(observed / f, expected / f);
}
