/** Euler–Mascheroni constant: the mean of a standard Gumbel distribution. */
const EULER = 0.5772156649015329;

/** A Gumbel (type I extreme value) distribution: location mu, scale beta. */
export interface Gumbel {
  mu: number;
  beta: number;
}

/**
 * Gumbel fitted by moments (mean = mu + γ·beta, sd = π·beta / √6), as SaTScan fits its replicas' maxima. Moments
 * rather than maximum likelihood: closed form, no iteration, and with 100 maxima the two differ far less than the
 * replicas do. beta is 0 when the sample has no spread (or fewer than two values).
 */
export function fitGumbel(sample: ArrayLike<number>): Gumbel {
  const n = sample.length;
  if (n === 0) return { mu: 0, beta: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sample[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sample[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const beta = (sd * Math.sqrt(6)) / Math.PI;
  return { mu: mean - EULER * beta, beta };
}

/**
 * P(X ≥ x) for X ~ Gumbel: 1 − exp(−exp(−(x − mu) / beta)), computed as −expm1 so that the far tail keeps its digits
 * (≈ exp(−(x − mu) / beta) there, down to 1e-300) instead of rounding to 0 at 1e-16. A degenerate fit (beta 0) is a
 * step at mu.
 */
export function gumbelUpper(x: number, g: Gumbel): number {
  if (!(g.beta > 0)) return x > g.mu ? 0 : 1;
  return Math.min(1, -Math.expm1(-Math.exp(-(x - g.mu) / g.beta)));
}
