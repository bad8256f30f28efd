/**
 * The largest dispersion a band is drawn with: 1, the geometric distribution (a week's spread as wide as its mean).
 * Beyond it the negative binomial piles its mass on 0 and a far tail, so its 90th percentile can fall below the mean
 * and its 10th above it (a band of 0 … yhat, or yhat … 5,000 × yhat, on a series of one burst); at 1 the 80% band is
 * about 0.1–2.3 × the mean.
 */
export const MAX_ALPHA = 1;

/**
 * Quantiles of the negative binomial with mean mu and dispersion alpha (variance mu + alpha·mu²): the predictive
 * distribution of a weekly count whose level is uncertain. Exact by summing the pmf for moderate means; a
 * Cornish–Fisher (skew-corrected normal) approximation beyond that, where the pmf walk would be long.
 */
export function nbQuantile(mu: number, alpha: number, q: number): number {
  if (!(mu > 0)) return 0;
  const a = Math.min(MAX_ALPHA, Math.max(alpha, 1e-8));
  const variance = mu + a * mu * mu;
  if (mu > 400) {
    const z = normalQuantile(q);
    const skew = (1 + 2 * a * mu) / Math.sqrt(variance);
    const x = mu + Math.sqrt(variance) * (z + ((z * z - 1) * skew) / 6);
    return Math.max(0, x);
  }
  const r = 1 / a;
  const p = r / (r + mu); // success probability
  let pmf = Math.exp(r * Math.log(p));
  let cdf = pmf;
  let k = 0;
  const limit = mu + 50 * Math.sqrt(variance) + 50;
  while (cdf < q && k < limit) {
    pmf *= ((k + r) / (k + 1)) * (1 - p);
    k++;
    cdf += pmf;
  }
  return k;
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
