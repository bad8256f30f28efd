import { getHexagonEdgeLengthAvg, latLngToCell } from 'h3-js';

/**
 * H3 cells for millions of points with far fewer H3 calls. A fine lon/lat raster (an eighth of a cell edge) remembers,
 * per raster cell, the H3 cell holding all of it — known when its four corners fall in the same H3 cell (a hexagon is
 * convex; its edges, great-circle arcs, bend away from straight lon/lat lines by a few millimetres over a raster cell,
 * so a point within millimetres of an H3 edge can land in the neighbouring cell — far below geocoding precision).
 * Corners are shared between raster cells and cached, so a new raster cell costs about one h3-js call. Raster cells
 * that straddle an H3 edge ask h3-js per point. Cells are numbered in order of first sight; `names` holds them.
 */
export class H3Cache {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly raster = new Map<number, number>();
  private readonly corners = new Map<number, number>();
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

  private cell(lat: number, lon: number): string {
    this.calls++;
    return latLngToCell(lat, lon, this.resolution);
  }

  /** The id of the H3 cell at raster corner (i, j), whose key is given. */
  private corner(i: number, j: number, key: number): number {
    let v = this.corners.get(key);
    if (v === undefined) {
      v = this.id(this.cell(j * this.step, i * this.step));
      this.corners.set(key, v);
    }
    return v;
  }

  /** The id of the H3 cell holding (lon, lat). */
  lookup(lon: number, lat: number): number {
    const i = Math.floor(lon / this.step);
    const j = Math.floor(lat / this.step);
    const key = (i + 4_000_000) * 8_000_000 + (j + 4_000_000);
    let v = this.raster.get(key);
    if (v === undefined) {
      const a = this.corner(i, j, key);
      v = a === this.corner(i + 1, j, key + 8_000_000) && a === this.corner(i, j + 1, key + 1) && a === this.corner(i + 1, j + 1, key + 8_000_001) ? a : -1;
      this.raster.set(key, v);
    }
    return v >= 0 ? v : this.id(this.cell(lat, lon));
  }
}
