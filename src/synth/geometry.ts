/**
 * Plane geometry on convex polygons in lon/lat degrees. The city outline is convex and every level is a Voronoi
 * partition of its parent built by half-plane clipping, so every polygon at every level stays convex: children
 * tile their parent exactly, and a point drawn inside a child is inside its parent.
 */
export type Pt = [number, number];
/** A convex ring, counter-clockwise, NOT repeating the first vertex. */
export type Ring = Pt[];

/** Keep the side of the line through a,b where (b-a)×(p-a) ≥ 0 … expressed as n·p ≤ c. */
export function clipHalfPlane(ring: Ring, nx: number, ny: number, c: number): Ring {
  const out: Ring = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    const dp = nx * p[0] + ny * p[1] - c;
    const dq = nx * q[0] + ny * q[1] - c;
    if (dp <= 0) out.push(p);
    if ((dp < 0 && dq > 0) || (dp > 0 && dq < 0)) {
      const t = dp / (dp - dq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/**
 * Voronoi cells of seeds inside a convex parent. Distances are measured in a locally isotropic frame (lon scaled
 * by cos(lat)) so the cells look right on a map.
 */
export function voronoiIn(parent: Ring, seeds: Pt[], kx: number): Ring[] {
  return seeds.map((s, i) => {
    let cell = parent;
    for (let j = 0; j < seeds.length && cell.length >= 3; j++) {
      if (j === i) continue;
      const o = seeds[j];
      // points closer to s than to o: (o - s)·p ≤ (|o|² - |s|²)/2, in the scaled frame
      const nx = (o[0] - s[0]) * kx * kx;
      const ny = o[1] - s[1];
      const c = ((o[0] * o[0] - s[0] * s[0]) * kx * kx + (o[1] * o[1] - s[1] * s[1])) / 2;
      cell = clipHalfPlane(cell, nx, ny, c);
    }
    return cell;
  });
}

export function area(ring: Ring): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a / 2;
}

export function centroid(ring: Ring): Pt {
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    const f = p[0] * q[1] - q[0] * p[1];
    a += f;
    cx += (p[0] + q[0]) * f;
    cy += (p[1] + q[1]) * f;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function bbox(ring: Ring): BBox {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const [x, y] of ring) {
    if (x < b.minX) b.minX = x;
    if (y < b.minY) b.minY = y;
    if (x > b.maxX) b.maxX = x;
    if (y > b.maxY) b.maxY = y;
  }
  return b;
}

/** Strictly inside a convex counter-clockwise ring, at least `margin` (degrees, cross-product scale) from every edge. */
export function insideConvex(ring: Ring, x: number, y: number, margin = 0): boolean {
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    const ex = q[0] - p[0];
    const ey = q[1] - p[1];
    const cross = ex * (y - p[1]) - ey * (x - p[0]);
    if (cross <= 0 || (margin > 0 && cross <= margin * Math.sqrt(ex * ex + ey * ey))) return false;
  }
  return true;
}

/** Convex hull (monotone chain), counter-clockwise. */
export function convexHull(points: Pt[]): Ring {
  const pts = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Round vertices to 6 decimals (≈0.1 m) and drop the duplicates rounding creates. */
export function roundRing(ring: Ring): Ring {
  const out: Ring = [];
  for (const [x, y] of ring) {
    const p: Pt = [round6(x), round6(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
