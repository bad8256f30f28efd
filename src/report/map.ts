import { existsSync, readFileSync } from 'node:fs';
import { cellToBoundary, gridDisk, isValidCell } from 'h3-js';
import { centroid, rewind } from '@turf/turf';
import type * as vl from 'vega-lite';
import type { HotCell } from './data.js';

export interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

const NAME_KEYS = ['name', 'NAME', 'Name', '名称'];

/** Boundary features of one GeoJSON file, or a note saying why they could not be read (the map then goes without). */
export function readBoundaries(file: string): { features: Feature[]; note: string | null } {
  if (!existsSync(file)) return { features: [], note: `边界文件不存在：${file}` };
  try {
    const fc = JSON.parse(readFileSync(file, 'utf8')) as { features?: Feature[] };
    const features = (fc.features ?? []).filter((f) => f?.geometry && /Polygon/.test(f.geometry.type));
    return { features, note: features.length ? null : `边界文件中没有面要素：${file}` };
  } catch (err) {
    return { features: [], note: `边界文件无法读取：${file}（${(err as Error).message.split('\n')[0]}）` };
  }
}

/** An H3 cell as a GeoJSON polygon (lon/lat order, closed ring). */
export function cellFeature(c: HotCell): Feature {
  const ring = cellToBoundary(c.cell, true);
  ring.push(ring[0]);
  return {
    type: 'Feature',
    properties: { cell: c.cell, z: c.z, count: c.count, category: c.category, kind: c.kind },
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
}

/** Rings of neighbours drawn around the hot cells of a city without boundaries (when there are at most MAX). */
const CONTEXT_RINGS = 3;
const CONTEXT_MAX_CELLS = 30;

/**
 * The hot cells' neighbours, three rings deep (about 5 km across at H3 resolution 8), as grey cells: without boundaries
 * the projection was fitted to the hot cells alone, and one hot cell filled the whole map (Konstanz, 2022-11), with
 * nothing to show its size or surroundings. The phone page draws a cell among its neighbours the same way.
 */
function neighbourCells(cells: HotCell[]): Feature[] {
  const hot = new Set(cells.filter((c) => isValidCell(c.cell)).map((c) => c.cell));
  // many hot cells draw the city's shape themselves; their rings would only swell the SVG
  if (hot.size > CONTEXT_MAX_CELLS) return [];
  const around = new Set<string>();
  for (const c of hot) for (const n of gridDisk(c, CONTEXT_RINGS)) if (!hot.has(n)) around.add(n);
  return [...around].map((cell) => {
    const ring = cellToBoundary(cell, true);
    ring.push(ring[0]);
    return { type: 'Feature', properties: { cell }, geometry: { type: 'Polygon', coordinates: [ring] } };
  });
}

function featureName(f: Feature): string | null {
  for (const k of NAME_KEYS) if (typeof f.properties?.[k] === 'string') return f.properties[k] as string;
  return null;
}

/**
 * The hotspot map: district (and street) outlines from the boundary GeoJSON, hotspot cells coloured by Gi* z, and
 * district names; Mercator projection fitted to the data. No web tiles.
 */
export function mapSpec(districts: Feature[], streets: Feature[], cells: HotCell[]): vl.TopLevelSpec {
  const layers: Record<string, unknown>[] = [];
  // Vega's d3-geo is spherical and reads a counter-clockwise ring (the GeoJSON RFC 7946 order, and h3-js's) as
  // "the whole globe except this polygon": outer rings must be clockwise for it.
  const forD3 = (features: Feature[]) =>
    features.map((f) => rewind(f as never, { reverse: true }) as unknown as Feature);
  const fc = (features: Feature[]) => ({
    values: { type: 'FeatureCollection', features: forD3(features) },
    format: { type: 'json' as const, property: 'features' },
  });
  if (districts.length)
    layers.push({
      data: fc(districts),
      mark: { type: 'geoshape', fill: '#f3f2ee', stroke: '#8a8a8a', strokeWidth: 1 },
    });
  if (streets.length)
    layers.push({
      data: fc(streets),
      mark: { type: 'geoshape', fill: districts.length ? null : '#f3f2ee', stroke: '#c9c9c9', strokeWidth: 0.4 },
    } as never);
  const context = districts.length || streets.length ? [] : neighbourCells(cells);
  if (context.length)
    layers.push({
      data: fc(context),
      mark: { type: 'geoshape', fill: '#f3f2ee', stroke: '#d6d4cc', strokeWidth: 0.4 },
    });
  if (cells.length) {
    layers.push({
      // a malformed cell id in the hotspot table must not take the whole report down
      data: fc(cells.filter((c) => isValidCell(c.cell)).map(cellFeature)),
      mark: { type: 'geoshape', stroke: '#7a1f0f', strokeWidth: 0.4 },
      encoding: {
        color: {
          field: 'properties.z',
          type: 'quantitative',
          title: '聚集强度',
          scale: { scheme: 'orangered' },
          legend: { orient: 'bottom-right', direction: 'vertical', gradientLength: 80 },
        },
      },
    });
  }
  const labelled = districts.length ? districts : [];
  const labels = labelled
    .map((f) => {
      const name = featureName(f);
      if (!name) return null;
      const [lon, lat] = centroid(f as never).geometry.coordinates;
      return { name, lon, lat };
    })
    .filter((x): x is { name: string; lon: number; lat: number } => x !== null);
  if (labels.length) {
    layers.push({
      data: { values: labels },
      mark: { type: 'text', fontSize: 11, color: '#444', fontWeight: 'bold' },
      encoding: {
        longitude: { field: 'lon', type: 'quantitative' },
        latitude: { field: 'lat', type: 'quantitative' },
        text: { field: 'name' },
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 620,
    height: 440,
    projection: { type: 'mercator' },
    layer: layers,
  } as unknown as vl.TopLevelSpec;
}
