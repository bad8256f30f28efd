import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import { latLngToCell } from 'h3-js';
import { DuckDBDataChunk, INTEGER, VARCHAR } from '@duckdb/node-api';
import { parseBoundaries, type Boundary } from '../../src/spatial/boundaries.js';
import { LEVELS, type Level } from '../../src/spatial/config.js';
import { cutBatches } from '../../src/spatial/place-orders.js';
import { placeStage } from '../../src/spatial/stage.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testContext } from '../helpers.js';
import { featureCollection, insertOrders, rect, type TestOrder } from './fixtures.js';

// The stage's fast path (batches of rowids, H3 raster cache, polygon raster index, integer joins for orders that need
// no name lookup, distinct combinations for those that do, SQL overlapping the JS pass) against the plain one: h3-js
// and turf per order, and the name resolution of test/spatial/reference-place.sql applied order by order.

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** Two districts, four streets (two of them called 东街道), communities with parents, and grids with a hole. */
function writeCity(dir: string): Record<Level, string> {
  const files = {
    districts: featureCollection([
      { name: '甲区', rings: rect(116.0, 39.9, 116.1, 40.0) },
      { name: '乙区', rings: rect(116.1, 39.9, 116.2, 40.0) },
    ]),
    streets: featureCollection([
      { name: '南街道', rings: rect(116.0, 39.9, 116.1, 39.95), props: { district: '甲区' } },
      { name: '东街道', rings: rect(116.0, 39.95, 116.1, 40.0), props: { district: '甲区' } },
      { name: '东街道', rings: rect(116.1, 39.9, 116.2, 39.95), props: { district: '乙区' } },
      // 乙区's north half has no street: points there fall back to names for the street level
      { name: '望京街道', rings: rect(116.1, 39.95, 116.13, 39.98), props: { district: '乙区' } },
    ]),
    communities: featureCollection([
      { name: '花园社区', rings: rect(116.0, 39.9, 116.05, 39.95), props: { street: '南街道' } },
      { name: '花园社区', rings: rect(116.1, 39.9, 116.15, 39.95), props: { street: '东街道' } },
      { name: '河畔社区', rings: rect(116.05, 39.9, 116.1, 39.95), props: { street: '南街道' } },
    ]),
    grids: JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { grid_id: 'G-001' },
          geometry: {
            type: 'Polygon',
            coordinates: [rect(116.0, 39.9, 116.05, 39.95)[0], rect(116.02, 39.92, 116.03, 39.93)[0]],
          },
        },
        {
          type: 'Feature',
          properties: { grid_id: 'G-002' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [116.1, 39.9],
                [116.2, 39.9],
                [116.15, 39.97],
                [116.1, 39.9],
              ],
            ],
          },
        },
      ],
    }),
  };
  const out = {} as Record<Level, string>;
  for (const level of LEVELS) {
    const file = join(dir, `${level}.geojson`);
    writeFileSync(file, files[level]);
    out[level] = file;
  }
  return out;
}

/** Seeded orders: points inside, outside, in gaps, shared, missing and invalid; names exact, varied, unknown, absent. */
function seededOrders(n: number, seed: number): TestOrder[] {
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const districts = ['甲区', ' 甲 ', '乙区', '乙', '丙区', '', null, null];
  const streets = ['东街道', '东', '南街道', '望京', '望京街道办事处', '不存在街道', '  ', null, null];
  const communities = ['花园社区', '花园', '河畔社区居委会', '无名社区', null, null];
  const shared = Array.from({ length: 20 }, () => [115.98 + rnd() * 0.24, 39.88 + rnd() * 0.14]);
  return Array.from({ length: n }, (_, i) => {
    const r = rnd();
    const at: Partial<TestOrder> =
      r < 0.55
        ? { lon: 115.98 + rnd() * 0.24, lat: 39.88 + rnd() * 0.14 } // the city and a margin around it
        : r < 0.7
          ? { lon: pick(shared)[0], lat: pick(shared)[1] } // many orders at the same address
          : r < 0.8
            ? { lon: 117 + rnd(), lat: 41 + rnd() } // far outside
            : r < 0.9
              ? {} // no coordinates
              : r < 0.95
                ? { lon: 0, lat: 0 }
                : { lon: 200, lat: 39.9 };
    return {
      id: `o${String(i).padStart(5, '0')}`,
      created: '2025-01-01',
      ...at,
      district: pick(districts),
      street: pick(streets),
      community: pick(communities),
    };
  });
}

const COORDS = `CASE
    WHEN lon IS NULL OR lat IS NULL THEN 'missing'
    WHEN NOT (isfinite(lon) AND isfinite(lat)) OR abs(lon) > 180 OR abs(lat) > 90 OR (lon = 0 AND lat = 0) THEN 'invalid'
    ELSE 'ok'
  END`;

const PLACES = 'SELECT order_id, cell, grid_id, district, street, community, match, coord_status, seq FROM';

/** The places the plain path gives: h3-js and turf per order, names resolved order by order. */
async function referencePlaces(
  store: Store,
  levels: Partial<Record<Level, Boundary[]>>,
  resolution: number,
): Promise<void> {
  await store.exec(`CREATE OR REPLACE TEMP TABLE ref_todo AS
    SELECT row_number() OVER (ORDER BY order_id)::INTEGER AS k, order_id, seq, lon, lat, district, street, community, ${COORDS} AS coords
    FROM orders`);
  const todo = await store.all<{ k: number; lon: number; lat: number }>(
    "SELECT k, lon, lat FROM ref_todo WHERE coords = 'ok' ORDER BY k",
  );
  await store.exec(
    'CREATE OR REPLACE TEMP TABLE ref_points (k INTEGER, cell VARCHAR, d INTEGER, s INTEGER, c INTEGER, g INTEGER)',
  );
  const features = LEVELS.map((l) =>
    (levels[l] ?? []).map((b) => ({
      type: 'Feature' as const,
      properties: {},
      geometry: { type: 'MultiPolygon' as const, coordinates: b.polygons },
    })),
  );
  const rows = todo.map((t) => [
    t.k,
    latLngToCell(t.lat, t.lon, resolution),
    ...features.map((fs) => fs.findIndex((f) => booleanPointInPolygon([t.lon, t.lat], f))),
  ]);
  if (rows.length)
    await store.exec(
      `INSERT INTO ref_points VALUES ${rows.map((r) => `(${r[0]}, '${r[1]}', ${r.slice(2).join(', ')})`).join(', ')}`,
    );
  await store.exec('CREATE OR REPLACE TEMP TABLE ref_units (level VARCHAR, idx INTEGER, name VARCHAR, parent VARCHAR)');
  const appender = await store.conn.createAppender('ref_units');
  const chunk = DuckDBDataChunk.create([VARCHAR, INTEGER, VARCHAR, VARCHAR]);
  for (const level of LEVELS) {
    const bs = levels[level] ?? [];
    if (!bs.length) continue;
    chunk.setColumns([bs.map(() => level), bs.map((_, i) => i), bs.map((b) => b.name), bs.map((b) => b.parent)]);
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
  // place_key is the stage's temp macro (still defined on this connection after the stage ran)
  await store.exec(`CREATE OR REPLACE TEMP TABLE ref_keys AS
    SELECT name, place_key(name) AS key FROM (
      SELECT district AS name FROM ref_todo UNION SELECT street FROM ref_todo UNION SELECT community FROM ref_todo
      UNION SELECT name FROM ref_units UNION SELECT parent FROM ref_units) WHERE name IS NOT NULL`);
  const has = (l: Level) => Boolean(levels[l]?.length);
  const query = readFileSync(join(import.meta.dirname, 'reference-place.sql'), 'utf8');
  await store.script(`CREATE OR REPLACE TEMP TABLE ref_places AS ${query}`, {
    has_districts: has('districts'),
    has_streets: has('streets'),
    has_communities: has('communities'),
    has_boundaries: LEVELS.some(has),
  });
}

async function compare(used: Level[], batchSize: number, resolution = 8): Promise<Record<string, number | string>> {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  const files = writeCity(t.dir);
  const boundaries = Object.fromEntries(used.map((l) => [l, files[l]]));
  const levels: Partial<Record<Level, Boundary[]>> = {};
  for (const l of used)
    levels[l] = parseBoundaries(
      readFileSync(files[l], 'utf8'),
      files[l],
      l === 'grids' ? ['grid_id'] : ['name'],
      l === 'streets' ? ['district'] : l === 'communities' ? ['street'] : [],
    );
  const orders = seededOrders(6000, 7);
  await insertOrders(t.store, orders);
  const counts = await t.store.tx(() =>
    placeStage.run(testContext(t.store, '2025-02-01', { spatial: { boundaries, batchSize, resolution } })),
  );
  await referencePlaces(t.store, levels, resolution);
  expect(await t.store.value('SELECT count(*) FROM order_places')).toBe(orders.length);
  expect(await t.store.value('SELECT count(*) FROM ref_places')).toBe(orders.length);
  const diff = await t.store.all(
    `(${PLACES} order_places EXCEPT ALL ${PLACES} ref_places) UNION ALL (${PLACES} ref_places EXCEPT ALL ${PLACES} order_places) LIMIT 5`,
  );
  expect(diff).toEqual([]);
  return counts;
}

describe('place stage fast path', () => {
  it('places every order exactly as h3-js, turf and order-by-order name resolution do, across batches', async () => {
    const counts = await compare([...LEVELS], 1000);
    // the fixture exercises every path: points, name lookups, nothing, outside, invalid
    expect(Number(counts.match_point)).toBeGreaterThan(1000);
    expect(Number(counts.match_name)).toBeGreaterThan(300);
    expect(Number(counts.match_none)).toBeGreaterThan(50);
    expect(Number(counts.coords_outside_kept)).toBeGreaterThan(300);
    expect(Number(counts.coords_invalid)).toBeGreaterThan(300);
  }, 60_000);

  it('agrees when some levels have no boundaries (their names are kept) and with no boundaries at all', async () => {
    await compare(['streets', 'grids'], 200_000, 9);
    await compare([], 1000, 7);
  }, 60_000);
});

describe('batches of pending orders', () => {
  it('cuts whole 2048-row blocks into batches of at most batchSize pending orders, a bigger block alone', () => {
    const blocks = [
      { block: 0, n: 2048 },
      { block: 1, n: 10 },
      { block: 5, n: 900 },
      { block: 6, n: 2048 },
      { block: 9, n: 1 },
    ];
    expect(cutBatches(blocks, 1000)).toEqual([
      { lo: 0, hi: 2047, n: 2048 },
      { lo: 2048, hi: 5 * 2048 + 2047, n: 910 },
      { lo: 6 * 2048, hi: 6 * 2048 + 2047, n: 2048 },
      { lo: 9 * 2048, hi: 9 * 2048 + 2047, n: 1 },
    ]);
    expect(cutBatches(blocks, 10_000)).toEqual([{ lo: 0, hi: 9 * 2048 + 2047, n: 5007 }]);
    expect(cutBatches([], 1000)).toEqual([]);
  });
});
