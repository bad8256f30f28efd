/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(k) = min over j ≥ k of p_(j) m / j, capped at 1. A test is a
 * discovery at false-discovery rate α when q ≤ α.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
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
