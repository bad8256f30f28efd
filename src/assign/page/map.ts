import { cellToBoundary, gridDisk, isValidCell } from 'h3-js';
import type { Boundary, Ring } from '../../spatial/boundaries.js';
import { esc } from './html.js';

const W = 320;
const H = 180;
/** Points kept per ring: a street outline stays recognisable and a page of 30 maps stays small. */
const MAX_POINTS = 120;

type LonLat = [number, number];

function thin(ring: Ring): Ring {
  if (ring.length <= MAX_POINTS) return ring;
  const step = ring.length / MAX_POINTS;
  const out: Ring = [];
  for (let k = 0; k < MAX_POINTS; k++) out.push(ring[Math.floor(k * step)]);
  return out;
}

function cellRing(cell: string): LonLat[] {
  return cellToBoundary(cell).map(([lat, lon]) => [lon, lat] as LonLat);
}

/** The street a cell's item names: by name, the one of the item's district when two districts share it. */
function streetOf(streets: Boundary[] | null, street: string | null, district: string | null): Boundary | null {
  if (!streets || !street) return null;
  const named = streets.filter((b) => b.name === street);
  return named.find((b) => b.parent === district) ?? named[0] ?? null;
}

/**
 * A small map of the cell (red) in its street (outline), drawn from the city's own boundary file: no tiles, nothing
 * fetched from outside. Without a street boundary the cell is drawn among its neighbours, so the shape still helps.
 * Longitude is scaled by cos(latitude), so shapes keep their proportions.
 */
export function cellMap(
  cell: string | null,
  street: string | null,
  district: string | null,
  streets: Boundary[] | null,
): string {
  if (!cell || !isValidCell(cell)) return '';
  const target = cellRing(cell);
  const b = streetOf(streets, street, district);
  const context: LonLat[][] = b
    ? b.polygons.map((p) => thin(p[0]) as LonLat[])
    : gridDisk(cell, 2)
        .filter((c) => c !== cell)
        .map(cellRing);
  const all = [...target, ...context.flat()];
  const lat0 = all.reduce((s, p) => s + p[1], 0) / all.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = all.map((p) => p[0] * k);
  const ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((W - 12) / (x1 - x0 || 1e-9), (H - 12) / (y1 - y0 || 1e-9));
  const ox = (W - (x1 - x0) * scale) / 2;
  const oy = (H - (y1 - y0) * scale) / 2;
  const path = (ring: LonLat[]) =>
    'M' +
    ring
      .map(([lon, lat]) => `${Math.round(ox + (lon * k - x0) * scale)} ${Math.round(oy + (y1 - lat) * scale)}`)
      .join('L') +
    'Z';
  const ctx = b
    ? `<path d="${context.map(path).join('')}" fill="#eef3f8" stroke="#7a8ea6" stroke-width="1.5"/>`
    : context.map((r) => `<path d="${path(r)}" fill="#f4f4f4" stroke="#ccc"/>`).join('');
  const label = b ? `${b.name}内的热点区块` : '热点区块及周边';
  return (
    `<svg class="map" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}">${ctx}` +
    `<path d="${path(target)}" fill="#e53935" fill-opacity=".75" stroke="#b71c1c"/></svg>`
  );
}
