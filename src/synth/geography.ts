import { latLngToCell, cellToBoundary, cellToLatLng, gridDisk } from 'h3-js';
import { Alias, Rng } from './random.js';
import {
  area,
  bbox,
  centroid,
  convexHull,
  insideConvex,
  roundRing,
  voronoiIn,
  type BBox,
  type Pt,
  type Ring,
} from './geometry.js';
import {
  CITY_NAME,
  COMMUNITY_PREFIXES,
  COMMUNITY_SUFFIXES,
  DISTRICTS,
  ROAD_STEMS,
  ROAD_SUFFIXES,
  TOWN_STEMS,
  URBAN_STREET_STEMS,
  VILLAGE_SUFFIXES,
  VILLAGE_SURNAMES,
  type DistrictSpec,
} from './names.js';

export const CENTER: Pt = [116.9, 39.6];
const KX = Math.cos((CENTER[1] * Math.PI) / 180);
/** Keep drawn points this far (degrees, ≈2 m) from any edge so rounding to 6 decimals never moves them across. */
const EDGE_MARGIN = 2e-5;

export interface Grid {
  id: string;
  name: string;
  ring: Ring;
  box: BBox;
  weight: number;
  community: Community;
}

export interface Community {
  name: string;
  /** The housing estate's name without 社区, as addresses write it. */
  estate: string;
  ring: Ring;
  grids: Grid[];
  gridAlias: Alias;
  weight: number;
  street: Street;
  isVillage: boolean;
  /** A chronically busy spot (an old compound, a market): a share of this community's orders fall near it. */
  busy?: { at: Pt; grid: Grid; share: number };
}

export interface Street {
  name: string;
  ring: Ring;
  communities: Community[];
  communityAlias: Alias;
  weight: number;
  district: District;
  roads: string[];
  index: number;
}

export interface District {
  name: string;
  code: string;
  kind: DistrictSpec['kind'];
  ring: Ring;
  streets: Street[];
  weight: number;
}

export interface City {
  name: string;
  outline: Ring;
  districts: District[];
  streets: Street[];
  communities: Community[];
  grids: Grid[];
  /** Street draw weights (population share) and the matching alias table. */
  streetAlias: Alias;
}

/** Uniform point inside a convex ring, away from its edges. */
export function pointIn(rng: Rng, ring: Ring, box = bbox(ring)): Pt {
  for (let i = 0; i < 200; i++) {
    const x = rng.uniform(box.minX, box.maxX);
    const y = rng.uniform(box.minY, box.maxY);
    if (insideConvex(ring, x, y, EDGE_MARGIN)) return [x, y];
  }
  return centroid(ring);
}

function uniqueNames(make: () => string, n: number, taken: Set<string>): string[] {
  const out: string[] = [];
  for (let guard = 0; out.length < n && guard < n * 200; guard++) {
    const name = make();
    if (taken.has(name)) continue;
    taken.add(name);
    out.push(name);
  }
  if (out.length < n) throw new Error(`synth: ran out of names (${out.length}/${n})`);
  return out;
}

/** Seeds spread over a convex ring: best-of-k candidates (Mitchell), so cells are neither slivers nor giants. */
function spreadSeeds(rng: Rng, ring: Ring, n: number): Pt[] {
  const box = bbox(ring);
  const seeds: Pt[] = [];
  for (let i = 0; i < n; i++) {
    let best: Pt = pointIn(rng, ring, box);
    let bestD = -1;
    for (let k = 0; k < 12; k++) {
      const p = pointIn(rng, ring, box);
      let d = Infinity;
      for (const s of seeds) d = Math.min(d, ((p[0] - s[0]) * KX) ** 2 + (p[1] - s[1]) ** 2);
      if (d > bestD) {
        bestD = d;
        best = p;
      }
    }
    seeds.push(best);
  }
  return seeds;
}

function partition(rng: Rng, parent: Ring, n: number): Ring[] {
  const cells = voronoiIn(parent, spreadSeeds(rng, parent, n), KX).filter((c) => c.length >= 3);
  return cells.map(roundRing).filter((c) => c.length >= 3 && Math.abs(area(c)) > 1e-9);
}

function lognormal(rng: Rng, sd: number): number {
  return Math.exp(rng.normal(0, sd));
}

/** The city's outline: a jittered ellipse around the centre, made convex. */
function cityOutline(rng: Rng): Ring {
  const rx = 0.235;
  const ry = 0.18;
  const outlinePts: Pt[] = [];
  for (let i = 0; i < 28; i++) {
    const a = (2 * Math.PI * i) / 28;
    const r = 1 + rng.uniform(-0.07, 0.07);
    outlinePts.push([CENTER[0] + rx * r * Math.cos(a), CENTER[1] + ry * r * Math.sin(a)]);
  }
  return roundRing(convexHull(outlinePts));
}

/** Inner urban districts around the centre, outer ones on a wider ring. */
function districtSeeds(rng: Rng): Pt[] {
  return DISTRICTS.map((d, i) => {
    const inner = d.kind === 'urban';
    const k = inner ? i : i - 4;
    const a = inner
      ? (Math.PI / 2) * k + rng.uniform(-0.3, 0.3) + 0.4
      : ((2 * Math.PI) / 3) * k + rng.uniform(-0.3, 0.3) + 1.1;
    const r = inner ? rng.uniform(0.035, 0.05) : rng.uniform(0.14, 0.17);
    return [CENTER[0] + (r * Math.cos(a)) / KX, CENTER[1] + r * Math.sin(a)];
  });
}

/** Everything built so far, and the names already taken. */
interface Built {
  takenStreets: Set<string>;
  takenCommunities: Set<string>;
  urbanStems: string[];
  townStems: string[];
  districts: District[];
  streets: Street[];
  communities: Community[];
  grids: Grid[];
}

function addCommunity(rng: Rng, b: Built, spec: DistrictSpec, street: Street, cRing: Ring, village: boolean): void {
  const cName = uniqueNames(
    () =>
      village
        ? rng.pick(VILLAGE_SURNAMES) + rng.pick(VILLAGE_SUFFIXES)
        : rng.pick(COMMUNITY_PREFIXES) + rng.pick(COMMUNITY_SUFFIXES) + '社区',
    1,
    b.takenCommunities,
  )[0];
  const density = spec.kind === 'urban' ? 3 : spec.kind === 'suburban' ? (village ? 0.9 : 1.6) : 0.5;
  const community: Community = {
    name: cName,
    estate: cName.replace(/社区$/, ''),
    ring: cRing,
    grids: [],
    gridAlias: undefined as unknown as Alias,
    weight: density * lognormal(rng, 0.45),
    street,
    isVillage: village,
  };
  b.communities.push(community);
  street.communities.push(community);
  const gRings = partition(rng, cRing, village ? rng.range(2, 3) : rng.range(3, 4));
  gRings.forEach((gRing, gi) => {
    const grid: Grid = {
      id: `${spec.code}${String(street.district.streets.length).padStart(2, '0')}${String(street.communities.length).padStart(2, '0')}${gi + 1}`,
      name: `${cName}第${gi + 1}网格`,
      ring: gRing,
      box: bbox(gRing),
      weight: Math.abs(area(gRing)) * lognormal(rng, 0.3),
      community,
    };
    b.grids.push(grid);
    community.grids.push(grid);
  });
  community.gridAlias = new Alias(community.grids.map((g) => g.weight));
}

function addStreet(rng: Rng, b: Built, spec: DistrictSpec, district: District, sRing: Ring, si: number): void {
  const town = spec.kind === 'rural' || (spec.kind === 'suburban' && si >= 3);
  const name = uniqueNames(
    () =>
      town
        ? `${b.townStems.pop() ?? rng.pick(TOWN_STEMS) + rng.range(2, 9)}${spec.kind === 'rural' && rng.chance(0.3) ? '乡' : '镇'}`
        : `${b.urbanStems.pop() ?? rng.pick(URBAN_STREET_STEMS) + '东'}街道`,
    1,
    b.takenStreets,
  )[0];
  const roads = uniqueNames(() => rng.pick(ROAD_STEMS) + rng.pick(ROAD_SUFFIXES), 3, new Set());
  const street: Street = {
    name,
    ring: sRing,
    communities: [],
    communityAlias: undefined as unknown as Alias,
    weight: 0,
    district,
    roads,
    index: b.streets.length,
  };
  b.streets.push(street);
  district.streets.push(street);
  const village = spec.kind === 'rural' || town;
  const nComm = spec.kind === 'urban' ? rng.range(6, 8) : village ? rng.range(4, 5) : rng.range(5, 6);
  for (const cRing of partition(rng, sRing, nComm)) addCommunity(rng, b, spec, street, cRing, village);
}

/** Build the whole city from the seed. Depends on nothing else (not scale, not dates): same seed, same map. */
export function buildCity(seed: number): City {
  const rng = new Rng(seed).fork('geography');
  const outline = cityOutline(rng);
  const dRings = voronoiIn(outline, districtSeeds(rng), KX).map(roundRing);
  const b: Built = {
    takenStreets: new Set<string>(),
    takenCommunities: new Set<string>(),
    urbanStems: rng.shuffle(URBAN_STREET_STEMS.slice()),
    townStems: rng.shuffle(TOWN_STEMS.slice()),
    districts: [],
    streets: [],
    communities: [],
    grids: [],
  };
  const { districts, streets, communities, grids } = b;
  DISTRICTS.forEach((spec, di) => {
    const district: District = {
      name: spec.name,
      code: spec.code,
      kind: spec.kind,
      ring: dRings[di],
      streets: [],
      weight: 0,
    };
    districts.push(district);
    const nStreets = spec.kind === 'urban' ? rng.range(7, 9) : spec.kind === 'suburban' ? rng.range(6, 7) : 7;
    partition(rng, district.ring, nStreets).forEach((sRing, si) => addStreet(rng, b, spec, district, sRing, si));
  });

  // A few chronically busy spots in urban communities: half of that community's orders fall within ~150 m.
  const urbanComms = communities.filter((c) => c.street.district.kind === 'urban');
  for (const c of rng.sample(urbanComms, 14)) {
    const grid = rng.pick(c.grids);
    c.busy = { at: pointIn(rng, grid.ring, grid.box), grid, share: 0.5 };
    c.weight *= 2.5;
  }
  for (const s of streets) {
    s.weight = s.communities.reduce((a, c) => a + c.weight, 0);
    s.communityAlias = new Alias(s.communities.map((c) => c.weight));
  }
  for (const d of districts) d.weight = d.streets.reduce((a, s) => a + s.weight, 0);
  return {
    name: CITY_NAME,
    outline,
    districts,
    streets,
    communities,
    grids,
    streetAlias: new Alias(streets.map((s) => s.weight)),
  };
}

/** A point for an order in this community: near its busy spot sometimes, else uniform in a grid drawn by weight. */
export function placeInCommunity(rng: Rng, c: Community): { pt: Pt; grid: Grid } {
  if (c.busy && rng.chance(c.busy.share)) {
    const g = c.busy.grid;
    for (let i = 0; i < 8; i++) {
      const x = c.busy.at[0] + rng.normal(0, 0.0012 / KX);
      const y = c.busy.at[1] + rng.normal(0, 0.0012);
      if (insideConvex(g.ring, x, y, EDGE_MARGIN)) return { pt: [x, y], grid: g };
    }
    return { pt: c.busy.at, grid: g };
  }
  const grid = c.grids[c.gridAlias.draw(rng)];
  return { pt: pointIn(rng, grid.ring, grid.box), grid };
}

/** The grid containing a point (brute force over bounding boxes: used for the few planted hotspot orders and in tests). */
export function locate(city: City, x: number, y: number): Grid | undefined {
  for (const g of city.grids) {
    if (x < g.box.minX || x > g.box.maxX || y < g.box.minY || y > g.box.maxY) continue;
    if (insideConvex(g.ring, x, y, 0)) return g;
  }
  return undefined;
}

export interface HotCell {
  cell: string;
  street: Street;
  hex: Ring;
}

/**
 * H3 resolution-8 cells lying wholly inside one urban street and away from the busy spots, for planted hotspots:
 * extra orders drawn in such a cell stay in one street, so the event has one scope.
 */
export function pickHotCells(rng: Rng, city: City, n: number, avoid: Street[] = []): HotCell[] {
  const busyCells = new Set<string>();
  for (const c of city.communities)
    if (c.busy) for (const k of gridDisk(latLngToCell(c.busy.at[1], c.busy.at[0], 8), 2)) busyCells.add(k);
  const out: HotCell[] = [];
  const used = new Set<string>();
  const candidates = city.communities.filter((c) => c.street.district.kind !== 'rural' && !avoid.includes(c.street));
  for (let guard = 0; out.length < n && guard < 2000; guard++) {
    const c = rng.pick(candidates);
    if (out.some((h) => h.street === c.street)) continue;
    const g = rng.pick(c.grids);
    const p = pointIn(rng, g.ring, g.box);
    const cell = latLngToCell(p[1], p[0], 8);
    if (busyCells.has(cell) || used.has(cell)) continue;
    const hex: Ring = cellToBoundary(cell).map(([lat, lng]) => [lng, lat] as Pt);
    const [clat, clng] = cellToLatLng(cell);
    if (![...hex, [clng, clat] as Pt].every(([x, y]) => insideConvex(c.street.ring, x, y, EDGE_MARGIN * 5))) continue;
    for (const k of gridDisk(cell, 3)) used.add(k);
    out.push({ cell, street: c.street, hex: area(hex) < 0 ? hex.slice().reverse() : hex });
  }
  if (out.length < n) throw new Error('synth: could not place hotspot cells');
  return out;
}

/** A point inside an H3 cell (and inside the city's grids), with the grid it falls in. */
export function placeInCell(rng: Rng, city: City, hot: HotCell): { pt: Pt; grid: Grid } {
  const box = bbox(hot.hex);
  for (let i = 0; i < 100; i++) {
    const x = rng.uniform(box.minX, box.maxX);
    const y = rng.uniform(box.minY, box.maxY);
    if (!insideConvex(hot.hex, x, y, EDGE_MARGIN)) continue;
    if (latLngToCell(Math.round(y * 1e6) / 1e6, Math.round(x * 1e6) / 1e6, 8) !== hot.cell) continue;
    const grid = locate(city, x, y);
    if (grid && grid.community.street === hot.street && insideConvex(grid.ring, x, y, EDGE_MARGIN))
      return { pt: [x, y], grid };
  }
  throw new Error(`synth: cannot place a point in cell ${hot.cell}`);
}

function feature(ring: Ring, props: Record<string, string>): object {
  const closed = ring.concat([ring[0]]);
  return { type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [closed] } };
}

/** The four boundary layers as GeoJSON FeatureCollections (rings closed, counter-clockwise as RFC 7946 asks). */
export function cityGeoJson(city: City): Record<'districts' | 'streets' | 'communities' | 'grids', object> {
  const fc = (features: object[]) => ({ type: 'FeatureCollection', features });
  return {
    districts: fc(city.districts.map((d) => feature(d.ring, { name: d.name, city: city.name }))),
    streets: fc(city.streets.map((s) => feature(s.ring, { name: s.name, district: s.district.name }))),
    communities: fc(
      city.communities.map((c) =>
        feature(c.ring, { name: c.name, street: c.street.name, district: c.street.district.name }),
      ),
    ),
    grids: fc(
      city.grids.map((g) =>
        feature(g.ring, {
          name: g.name,
          grid_id: g.id,
          community: g.community.name,
          street: g.community.street.name,
          district: g.community.street.district.name,
        }),
      ),
    ),
  };
}
