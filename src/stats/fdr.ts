/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(k) = min over j ≥ k of p_(j) m / j, capped at 1. A test is a
 * discovery at false-discovery rate α when q ≤ α.
 *
 * Sorted as a typed array (numeric sort, no comparator calls: the hotspot stage adjusts ~165k p-values per run)
 * and mapped back by binary search. Tied p-values share one q — the running minimum at the tie's highest rank — so
 * any rank of the tie gives the right value.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  const sorted = Float64Array.from(p).sort();
  const qSorted = new Float64Array(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    running = Math.min(running, (sorted[r] * m) / (r + 1));
    qSorted[r] = running;
  }
  const q = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const v = p[i];
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sorted[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    q[i] = qSorted[lo];
  }
  return q;
}
