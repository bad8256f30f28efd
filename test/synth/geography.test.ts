import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { area as turfArea, booleanPointInPolygon, point, polygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity, type GeneratedCity } from '../../src/synth/index.js';
import { dataPath } from '../../src/store/paths.js';
import { tempDir } from '../helpers.js';
import { duck, files } from './helpers.js';

interface FC {
  type: string;
  features: {
    type: string;
    properties: Record<string, string>;
    geometry: { type: string; coordinates: number[][][] };
  }[];
}

/** Planar distance (degrees) from a point to a ring's edges: GeoJSON edges are straight lines in lon/lat. */
function planarDistance(v: number[], ring: number[][]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[i + 1];
    const dx = bx - ax,
      dy = by - ay;
    const t = Math.max(0, Math.min(1, ((v[0] - ax) * dx + (v[1] - ay) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(v[0] - ax - t * dx, v[1] - ay - t * dy));
  }
  return best;
}

const load = (dir: string, layer: string): FC => JSON.parse(readFileSync(join(dir, `${layer}.geojson`), 'utf8')) as FC;

describe('synth: boundaries', () => {
  const tmp = tempDir('weisu-synth-geo-');
  let city: GeneratedCity;
  beforeAll(async () => {
    city = await generateCity({ outDir: tmp.dir, scale: 0.05, start: '2026-06-01', end: '2026-12-01' });
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('the repo copy in data/demo-city is what the default seed writes', () => {
    for (const layer of ['districts', 'streets', 'communities', 'grids']) {
      expect(readFileSync(join(tmp.dir, `${layer}.geojson`), 'utf8'), layer).toBe(
        readFileSync(dataPath(`demo-city/${layer}.geojson`), 'utf8'),
      );
    }
    const cfg = JSON.parse(readFileSync(dataPath('demo-city/weisu.config.json'), 'utf8'));
    expect(cfg.city.name).toBe('北宁市');
    expect(cfg.spatial.boundaries.streets).toBe('streets.geojson');
    expect(cfg.forecast.heatingStart).toBe('11-15');
  });

  it('has the intended size, closed rings, unique names and known parents', () => {
    const counts: Record<string, number> = {};
    const names: Record<string, Set<string>> = {};
    for (const layer of ['districts', 'streets', 'communities', 'grids']) {
      const fc = load(tmp.dir, layer);
      expect(fc.type).toBe('FeatureCollection');
      counts[layer] = fc.features.length;
      names[layer] = new Set();
      for (const f of fc.features) {
        expect(f.geometry.type).toBe('Polygon');
        const ring = f.geometry.coordinates[0];
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        const key = layer === 'grids' ? f.properties.grid_id : f.properties.name;
        expect(names[layer].has(key), `${layer} ${key} duplicated`).toBe(false);
        names[layer].add(key);
        if (layer !== 'districts') expect(names.districts.has(f.properties.district)).toBe(true);
        if (layer === 'communities' || layer === 'grids') expect(names.streets.has(f.properties.street)).toBe(true);
        if (layer === 'grids') expect(names.communities.has(f.properties.community)).toBe(true);
      }
    }
    expect(counts.districts).toBeGreaterThanOrEqual(6);
    expect(counts.districts).toBeLessThanOrEqual(8);
    expect(counts.streets).toBeGreaterThanOrEqual(40);
    expect(counts.streets).toBeLessThanOrEqual(60);
    expect(counts.communities).toBeGreaterThanOrEqual(250);
    expect(counts.communities).toBeLessThanOrEqual(360);
    expect(counts.grids).toBeGreaterThan(counts.communities);
  });

  it('children tile their parent: inside it, and their areas add up (so they cannot overlap)', () => {
    const check = (parentLayer: string, childLayer: string, key: string) => {
      const parents = load(tmp.dir, parentLayer).features;
      const children = load(tmp.dir, childLayer).features;
      for (const p of parents) {
        const poly = polygon(p.geometry.coordinates);
        const kids = children.filter((c) => c.properties[key] === p.properties.name);
        expect(kids.length).toBeGreaterThan(0);
        let sum = 0;
        for (const k of kids) {
          sum += turfArea(polygon(k.geometry.coordinates));
          // every vertex of a child is in its parent, or on its edge (within 2e-6°: coordinates are rounded to 1e-6°)
          for (const v of k.geometry.coordinates[0]) {
            const inside = booleanPointInPolygon(point(v), poly) || planarDistance(v, p.geometry.coordinates[0]) < 2e-6;
            expect(inside, `${childLayer} ${k.properties.name} vertex outside ${p.properties.name}`).toBe(true);
          }
        }
        expect(Math.abs(sum / turfArea(poly) - 1)).toBeLessThan(0.002);
      }
    };
    check('districts', 'streets', 'district');
    check('streets', 'communities', 'street');
    check('communities', 'grids', 'community');
  });

  it('every order with coordinates lies inside its street and community polygons', async () => {
    const db = await duck();
    try {
      const rows = await db.all<{ lon: number; lat: number; street: string; community: string | null }>(
        `SELECT lon, lat, street, community FROM read_parquet(${files(city.ordersFiles)}) WHERE lon IS NOT NULL`,
      );
      const streets = new Map(
        load(tmp.dir, 'streets').features.map((f) => [f.properties.name, polygon(f.geometry.coordinates)]),
      );
      const comms = new Map(
        load(tmp.dir, 'communities').features.map((f) => [f.properties.name, polygon(f.geometry.coordinates)]),
      );
      expect(rows.length).toBeGreaterThan(5000);
      let bad = 0;
      for (const r of rows) {
        const s = streets.get(r.street);
        if (!s || !booleanPointInPolygon(point([r.lon, r.lat]), s)) bad++;
        else if (r.community && !booleanPointInPolygon(point([r.lon, r.lat]), comms.get(r.community)!)) bad++;
      }
      expect(bad).toBe(0);
      const [q] = await db.all<{ n: number; nocoord: number; unknown: number }>(
        `SELECT count(*) AS n, count(*) FILTER (lon IS NULL) AS nocoord,
                count(*) FILTER (street NOT IN (SELECT unnest(${files([...streets.keys()])}))) AS unknown
         FROM read_parquet(${files(city.ordersFiles)})`,
      );
      const share = Number(q.nocoord) / Number(q.n);
      expect(share).toBeGreaterThan(0.035);
      expect(share).toBeLessThan(0.065);
      expect(Number(q.unknown)).toBeGreaterThan(0);
      expect(Number(q.unknown) / Number(q.n)).toBeLessThan(0.01);
    } finally {
      db.close();
    }
  });

  it('some cells are chronically busy: a few H3 cells hold a large share of orders, of many categories', async () => {
    const db = await duck();
    try {
      const { latLngToCell } = await import('h3-js');
      const rows = await db.all<{ lon: number; lat: number; category: string }>(
        `SELECT lon, lat, category FROM read_parquet(${files(city.ordersFiles)}) WHERE lon IS NOT NULL`,
      );
      const cells = new Map<string, { n: number; cats: Set<string> }>();
      for (const r of rows) {
        const c = latLngToCell(r.lat, r.lon, 8);
        const e = cells.get(c) ?? { n: 0, cats: new Set() };
        e.n++;
        e.cats.add(r.category.split('/').slice(0, 2).join('/'));
        cells.set(c, e);
      }
      const sorted = [...cells.values()].sort((a, b) => b.n - a.n);
      const top = sorted.slice(0, 10);
      const topShare = top.reduce((a, e) => a + e.n, 0) / rows.length;
      // 10 of several hundred cells hold well over their fair share
      expect(topShare).toBeGreaterThan((10 / cells.size) * 4);
      expect(Math.min(...top.map((e) => e.cats.size))).toBeGreaterThanOrEqual(10);
    } finally {
      db.close();
    }
  });
});
