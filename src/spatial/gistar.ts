import { gridDisk } from 'h3-js';

/** Neighbour lists in compressed form: the neighbours of cell i are nbrs[offsets[i] .. offsets[i+1]), self included. */
export interface Neighbours {
  offsets: Int32Array;
  nbrs: Int32Array;
}

/** Binary neighbours from explicit lists (each must include the cell itself for Gi*). */
export function neighboursFromLists(lists: number[][]): Neighbours {
  const offsets = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  const nbrs = new Int32Array(offsets[lists.length]);
  lists.forEach((l, i) => nbrs.set(l, offsets[i]));
  return { offsets, nbrs };
}

/** Neighbours of H3 cells = gridDisk(cell, 1) (the cell and its ring of 6) restricted to the study area. */
export function h3Neighbours(cells: readonly string[]): Neighbours {
  const pos = new Map<string, number>();
  cells.forEach((c, i) => pos.set(c, i));
  return neighboursFromLists(
    cells.map((c) => {
      const out: number[] = [];
      for (const k of gridDisk(c, 1)) {
        const j = pos.get(k);
        if (j !== undefined) out.push(j);
      }
      return out;
    }),
  );
}

/**
 * Getis–Ord Gi* z-scores with binary weights, self included (Getis & Ord 1992; Ord & Getis 1995):
 *
 *   z_i = (Σ_j w_ij x_j − x̄ W_i) / (s √((n W_i − W_i²) / (n − 1))),  W_i = Σ_j w_ij,
 *   x̄ = Σ x / n,  s = √(Σ x² / n − x̄²),
 *
 * over all n cells of the study area (zeros included). This is spdep::localG with include.self() and style "B".
 * A cell whose neighbourhood is the whole area, or an area with no variation, gets z = 0.
 */
export function giStar(x: ArrayLike<number>, nb: Neighbours): Float64Array {
  const n = x.length;
  const z = new Float64Array(n);
  if (n < 2) return z;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    sum += x[i];
    sum2 += x[i] * x[i];
  }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(sum2 / n - mean * mean, 0));
  if (!(s > 0)) return z;
  for (let i = 0; i < n; i++) {
    const a = nb.offsets[i];
    const b = nb.offsets[i + 1];
    const w = b - a;
    let local = 0;
    for (let k = a; k < b; k++) local += x[nb.nbrs[k]];
    const v = (n * w - w * w) / (n - 1);
    z[i] = v > 0 ? (local - mean * w) / (s * Math.sqrt(v)) : 0;
  }
  return z;
}
