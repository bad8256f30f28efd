/**
 * mulberry32: a small, fast, seeded PRNG with uniform output in [0, 1). Everything random in weisu — bootstrap
 * intervals, model folds, test fixtures — draws from it, so the same inputs always give the same results.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw: multiplication for small means, the normal approximation above 30. */
export function poissonDraw(mean: number, rand: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(rand(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let prod = rand(); prod > limit; prod *= rand()) k++;
  return k;
}
