import { getHexagonEdgeLengthAvg, latLngToCell } from 'h3-js';

/** Raster cells per tile side: a tile is 64 × 64 raster cells, a few kilometres across at resolution 8. */
const TILE_BITS = 6;
const TILE = 1 << TILE_BITS;
const MASK = TILE - 1;
const UNKNOWN = -2;

/** The H3 cells of one tile's raster cells (STRADDLES = ask h3-js per point) and of its raster corners. */
interface Tile {
  cells: Int32Array;
  corners: Int32Array;
}
const STRADDLES = -1;

/**
 * H3 cells for millions of points with far fewer H3 calls. A fine lon/lat raster (an eighth of a cell edge) remembers,
 * per raster cell, the H3 cell holding all of it — known when its four corners fall in the same H3 cell (a hexagon is
 * convex; its edges, great-circle arcs, bend away from straight lon/lat lines by a few millimetres over a raster cell,
 * so a point within millimetres of an H3 edge can land in the neighbouring cell — far below geocoding precision).
 * Corners are shared between raster cells and cached, so a new raster cell costs about one h3-js call. Raster cells
 * that straddle an H3 edge ask h3-js per point. Cells are numbered in order of first sight; `names` holds them.
 *
 * The raster lives in tiles of 64 × 64 raster cells (typed arrays, one small map from tile to arrays), allocated where
 * points fall: a lookup is two array reads, whatever the city's extent, where one big hash map per raster cell and per
 * corner cost more than the h3-js call it saved.
 */
export class H3Cache {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Tiles by column, then row (small integers: Map keys V8 hashes fastest). */
  private readonly tiles = new Map<number, Map<number, Tile>>();
  private readonly step: number;
  calls = 0;

  constructor(readonly resolution: number) {
    this.step = getHexagonEdgeLengthAvg(resolution, 'km') / 111.32 / 8;
  }

  private id(cell: string): number {
    let v = this.ids.get(cell);
    if (v === undefined) {
      v = this.names.length;
      this.names.push(cell);
      this.ids.set(cell, v);
    }
    return v;
  }

  private cell(lat: number, lon: number): number {
    this.calls++;
    return this.id(latLngToCell(lat, lon, this.resolution));
  }

  private tile(ti: number, tj: number): Tile {
    let col = this.tiles.get(ti);
    if (col === undefined) this.tiles.set(ti, (col = new Map()));
    let t = col.get(tj);
    if (t === undefined) {
      t = { cells: new Int32Array(TILE * TILE).fill(UNKNOWN), corners: new Int32Array(TILE * TILE).fill(UNKNOWN) };
      col.set(tj, t);
    }
    return t;
  }

  /** The id of the H3 cell at raster corner (i, j). */
  private corner(i: number, j: number): number {
    const t = this.tile(i >> TILE_BITS, j >> TILE_BITS);
    const at = ((j & MASK) << TILE_BITS) | (i & MASK);
    let v = t.corners[at];
    if (v === UNKNOWN) t.corners[at] = v = this.cell(j * this.step, i * this.step);
    return v;
  }

  /** The id of the H3 cell holding (lon, lat). */
  lookup(lon: number, lat: number): number {
    const i = Math.floor(lon / this.step);
    const j = Math.floor(lat / this.step);
    const t = this.tile(i >> TILE_BITS, j >> TILE_BITS);
    const at = ((j & MASK) << TILE_BITS) | (i & MASK);
    let v = t.cells[at];
    if (v === UNKNOWN) {
      const a = this.corner(i, j);
      v = a === this.corner(i + 1, j) && a === this.corner(i, j + 1) && a === this.corner(i + 1, j + 1) ? a : STRADDLES;
      t.cells[at] = v;
    }
    return v !== STRADDLES ? v : this.cell(lat, lon);
  }
}
