import type { Boundary } from './boundaries.js';

/** A feature's rings as flat coordinate arrays, for a crossing-number test without allocation. */
interface FlatFeature {
  xs: Float64Array[];
  ys: Float64Array[];
}

function flatten(b: Boundary): FlatFeature {
  const xs: Float64Array[] = [];
  const ys: Float64Array[] = [];
  for (const poly of b.polygons)
    for (const ring of poly) {
      xs.push(Float64Array.from(ring, (p) => p[0]));
      ys.push(Float64Array.from(ring, (p) => p[1]));
    }
  return { xs, ys };
}

/**
 * Crossing-number (even–odd) point in polygon over all rings of a feature, holes and multipolygons included. Agrees
 * with turf's booleanPointInPolygon everywhere except exactly on an edge, where it is half-open: a point on the edge
 * two neighbouring features share belongs to exactly one of them rather than to both.
 */
export function insideFeature(f: FlatFeature, x: number, y: number): boolean {
  let inside = false;
  for (let r = 0; r < f.xs.length; r++) {
    const xs = f.xs[r];
    const ys = f.ys[r];
    for (let k = 0, l = xs.length - 1; k < xs.length; l = k++) {
      const yk = ys[k];
      const yl = ys[l];
      if (yk > y !== yl > y && x < ((xs[l] - xs[k]) * (y - yk)) / (yl - yk) + xs[k]) inside = !inside;
    }
  }
  return inside;
}

/**
 * Point-in-polygon for millions of points against one level of boundaries (districts, streets, …).
 *
 * A regular lon/lat raster covers the boundaries. Every raster cell that any polygon edge passes through is a
 * "boundary cell"; every other cell lies wholly inside one polygon or wholly outside all, so a point there is
 * resolved by one array lookup (the owner of the cell, filled by a scanline pass over cell centres). Only points
 * in boundary cells get a point-in-polygon test, and only against the polygons whose edges touch that cell. The answer
 * is the same as testing every polygon (tests check it against turf's booleanPointInPolygon); polygons of one level
 * are expected not to overlap (where they do, the first feature in the file wins).
 */
export class PolygonIndex {
  readonly x0: number;
  readonly y0: number;
  readonly dx: number;
  readonly dy: number;
  readonly nx: number;
  readonly ny: number;
  /** Owner of each raster cell's centre: feature position, or -1 outside every polygon. */
  private readonly owner: Int32Array;
  /** Boundary cells: slot[cell] ≥ 0 indexes lists, the positions of the features whose edges touch the cell. */
  private readonly slot: Int32Array;
  private readonly lists: number[][] = [];
  private readonly features: FlatFeature[];
  /** Points answered by a lookup vs by a turf test (for the bench). */
  lookups = 0;
  pipTests = 0;

  constructor(
    readonly boundaries: Boundary[],
    opts: { maxCells?: number; cellsAcross?: number } = {},
  ) {
    const maxCells = opts.maxCells ?? 8_000_000;
    const cellsAcross = opts.cellsAcross ?? 32;
    this.features = boundaries.map(flatten);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    const sizes: number[] = [];
    for (const b of boundaries) {
      x0 = Math.min(x0, b.bbox[0]);
      y0 = Math.min(y0, b.bbox[1]);
      x1 = Math.max(x1, b.bbox[2]);
      y1 = Math.max(y1, b.bbox[3]);
      sizes.push(Math.max(b.bbox[2] - b.bbox[0], b.bbox[3] - b.bbox[1]));
    }
    sizes.sort((a, b) => a - b);
    // Cells a fraction of a typical polygon wide keep boundary cells a small share of the area.
    const median = sizes[Math.floor(sizes.length / 2)] || 1e-3;
    let size = Math.max(median / cellsAcross, 1e-6);
    const w = Math.max(x1 - x0, 1e-9);
    const h = Math.max(y1 - y0, 1e-9);
    while (Math.ceil(w / size) * Math.ceil(h / size) > maxCells) size *= 1.25;
    // A margin of one cell so edges on the bbox never fall off the raster.
    this.dx = size;
    this.dy = size;
    this.x0 = x0 - size;
    this.y0 = y0 - size;
    this.nx = Math.ceil(w / size) + 2;
    this.ny = Math.ceil(h / size) + 2;
    this.owner = new Int32Array(this.nx * this.ny).fill(-1);
    this.slot = new Int32Array(this.nx * this.ny).fill(-1);
    // Later features must not overwrite earlier ones (first wins), so fill in reverse.
    for (let f = boundaries.length - 1; f >= 0; f--) this.fillOwner(f);
    for (let f = 0; f < boundaries.length; f++) this.markEdges(f);
  }

  /** Position of the feature containing (lon, lat), or -1 when it lies outside every polygon. */
  locate(lon: number, lat: number): number {
    const i = Math.floor((lon - this.x0) / this.dx);
    const j = Math.floor((lat - this.y0) / this.dy);
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return -1;
    const cell = j * this.nx + i;
    const sl = this.slot[cell];
    if (sl < 0) {
      this.lookups++;
      return this.owner[cell];
    }
    this.pipTests++;
    const cands = this.lists[sl];
    for (const f of cands) {
      if (insideFeature(this.features[f], lon, lat)) return f;
    }
    // Not in any polygon whose edge crosses this cell: then in the one that holds the whole cell, if any.
    const o = this.owner[cell];
    return o >= 0 && !cands.includes(o) ? o : -1;
  }

  /** Scanline over raster rows: every cell whose centre lies inside the feature (even–odd over all rings) gets it as owner. */
  private fillOwner(f: number): void {
    const b = this.boundaries[f];
    const jFrom = Math.max(0, Math.floor((b.bbox[1] - this.y0) / this.dy));
    const jTo = Math.min(this.ny - 1, Math.floor((b.bbox[3] - this.y0) / this.dy));
    const xs: number[] = [];
    for (let j = jFrom; j <= jTo; j++) {
      const y = this.y0 + (j + 0.5) * this.dy;
      xs.length = 0;
      for (const poly of b.polygons)
        for (const ring of poly)
          for (let k = 0; k + 1 < ring.length; k++) {
            const [ax, ay] = ring[k];
            const [bx, by] = ring[k + 1];
            if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
          }
      xs.sort((a, c) => a - c);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const iFrom = Math.max(0, Math.ceil((xs[k] - this.x0) / this.dx - 0.5));
        const iTo = Math.min(this.nx - 1, Math.floor((xs[k + 1] - this.x0) / this.dx - 0.5));
        for (let i = iFrom; i <= iTo; i++) this.owner[j * this.nx + i] = f;
      }
    }
  }

  /** Mark every raster cell any edge of the feature passes through. */
  private markEdges(f: number): void {
    for (const poly of this.boundaries[f].polygons)
      for (const ring of poly)
        for (let k = 0; k + 1 < ring.length; k++)
          this.markSegment(f, ring[k][0], ring[k][1], ring[k + 1][0], ring[k + 1][1]);
  }

  private mark(f: number, i: number, j: number): void {
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return;
    const cell = j * this.nx + i;
    const sl = this.slot[cell];
    if (sl < 0) {
      this.slot[cell] = this.lists.length;
      this.lists.push([f]);
    } else {
      const list = this.lists[sl];
      if (list[list.length - 1] !== f) list.push(f);
    }
  }

  /**
   * Walk the raster cells a segment crosses (Amanatides & Woo). Where it passes (almost) through a cell corner, both
   * side cells are marked too, so rounding can never skip a cell the segment clips: marking too many cells costs
   * only extra point tests, never a wrong answer.
   */
  private markSegment(f: number, ax: number, ay: number, bx: number, by: number): void {
    const gx = (ax - this.x0) / this.dx;
    const gy = (ay - this.y0) / this.dy;
    const ex = (bx - this.x0) / this.dx;
    const ey = (by - this.y0) / this.dy;
    let i = Math.floor(gx);
    let j = Math.floor(gy);
    const iEnd = Math.floor(ex);
    const jEnd = Math.floor(ey);
    const ddx = ex - gx;
    const ddy = ey - gy;
    const si = ddx > 0 ? 1 : -1;
    const sj = ddy > 0 ? 1 : -1;
    const tdx = ddx !== 0 ? Math.abs(1 / ddx) : Infinity;
    const tdy = ddy !== 0 ? Math.abs(1 / ddy) : Infinity;
    let tx = ddx > 0 ? (i + 1 - gx) / ddx : ddx < 0 ? (gx - i) / -ddx : Infinity;
    let ty = ddy > 0 ? (j + 1 - gy) / ddy : ddy < 0 ? (gy - j) / -ddy : Infinity;
    this.mark(f, i, j);
    for (let guard = Math.abs(iEnd - i) + Math.abs(jEnd - j) + 4; (i !== iEnd || j !== jEnd) && guard > 0; guard--) {
      if (Math.abs(tx - ty) < 1e-9) {
        this.mark(f, i + si, j);
        this.mark(f, i, j + sj);
        i += si;
        j += sj;
        tx += tdx;
        ty += tdy;
      } else if (tx < ty) {
        i += si;
        tx += tdx;
      } else {
        j += sj;
        ty += tdy;
      }
      this.mark(f, i, j);
    }
  }

  /** Share of raster cells that need a turf test (for the bench and logs). */
  get boundaryShare(): number {
    return this.lists.length / (this.nx * this.ny);
  }
}
