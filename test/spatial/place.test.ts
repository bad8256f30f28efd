import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import { latLngToCell } from 'h3-js';
import { placeStage } from '../../src/spatial/stage.js';
import { memoryBytes } from '../../src/store/memory.js';
import { loadBoundaries, parseBoundaries } from '../../src/spatial/boundaries.js';
import { UserError } from '../../src/store/errors.js';
import { PolygonIndex } from '../../src/spatial/polygon-index.js';
import { tempStore, testContext } from '../helpers.js';
import { featureCollection, insertOrders, rect, writeTinyCity } from './fixtures.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

async function setup() {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  const spatial = writeTinyCity(t.dir);
  return { ...t, spatial };
}

interface PlaceRow {
  order_id: string;
  cell: string | null;
  grid_id: string | null;
  district: string | null;
  street: string | null;
  match: string;
  coord_status: string;
}

async function places(store: import('../../src/store/db.js').Store): Promise<Record<string, PlaceRow>> {
  const rows = await store.all<PlaceRow>(
    'SELECT order_id, cell, grid_id, district, street, match, coord_status FROM order_places',
  );
  return Object.fromEntries(rows.map((r) => [r.order_id, r]));
}

describe('place stage', () => {
  it('assigns district, street, grid and cell by point in polygon, including points right next to a boundary', async () => {
    const { store, spatial } = await setup();
    await insertOrders(store, [
      { id: 'a', created: '2025-01-01', lon: 116.05, lat: 39.97 },
      { id: 'west-edge', created: '2025-01-01', lon: 116.0999999, lat: 39.93 },
      { id: 'east-edge', created: '2025-01-01', lon: 116.1000001, lat: 39.93 },
      { id: 'south-of-line', created: '2025-01-01', lon: 116.07, lat: 39.9499999 },
      { id: 'in-grid', created: '2025-01-01', lon: 116.01, lat: 39.91 },
      { id: 'in-hole', created: '2025-01-01', lon: 116.025, lat: 39.925 },
    ]);
    const ctx = testContext(store, '2025-02-01', { spatial });
    const counts = await store.tx(() => placeStage.run(ctx));
    expect(counts.orders).toBe(6);
    const p = await places(store);
    expect(p.a).toMatchObject({
      district: '甲区',
      street: '北街道',
      grid_id: null,
      match: 'point',
      coord_status: 'inside',
    });
    expect(p.a.cell).toBe(latLngToCell(39.97, 116.05, 8));
    expect(p['west-edge']).toMatchObject({ district: '甲区', street: '南街道' });
    expect(p['east-edge']).toMatchObject({ district: '乙区', street: '东街道' });
    expect(p['south-of-line']).toMatchObject({ street: '南街道' });
    expect(p['in-grid'].grid_id).toBe('G-001');
    expect(p['in-hole']).toMatchObject({ grid_id: null, street: '南街道' });
  });

  it('keeps orders whose coordinates are outside every polygon, counts them, and falls back to their names', async () => {
    const { store, spatial } = await setup();
    await insertOrders(store, [
      { id: 'outside', created: '2025-01-01', lon: 117.5, lat: 40.5, district: '乙区' },
      { id: 'outside-noname', created: '2025-01-01', lon: 117.5, lat: 40.5 },
      { id: 'bad', created: '2025-01-01', lon: 0, lat: 0, district: '甲区' },
    ]);
    const counts = await store.tx(() => placeStage.run(testContext(store, '2025-02-01', { spatial })));
    expect(counts.coords_outside_kept).toBe(2);
    expect(counts.coords_invalid).toBe(1);
    const p = await places(store);
    expect(p.outside).toMatchObject({ coord_status: 'outside', district: '乙区', match: 'name' });
    expect(p.outside.cell).toBe(latLngToCell(40.5, 117.5, 8));
    expect(p['outside-noname']).toMatchObject({ coord_status: 'outside', match: 'none' });
    expect(p.bad).toMatchObject({ coord_status: 'invalid', cell: null, district: '甲区', match: 'name' });
    expect(await store.value('SELECT count(*) FROM order_places')).toBe(3);
  });

  it("falls back to normalised names without coordinates, preferring a street inside the order's district", async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    // two streets called 东街道 in different districts
    writeFileSync(
      join(t.dir, 'd.geojson'),
      featureCollection([
        { name: '甲区', rings: rect(116.0, 39.9, 116.1, 40.0) },
        { name: '乙区', rings: rect(116.1, 39.9, 116.2, 40.0) },
      ]),
    );
    writeFileSync(
      join(t.dir, 's.geojson'),
      featureCollection([
        { name: '东街道', rings: rect(116.0, 39.9, 116.1, 40.0), props: { district: '甲区' } },
        { name: '东街道 ', rings: rect(116.1, 39.9, 116.2, 40.0), props: { district: '乙区' } },
        { name: '望京街道', rings: rect(116.1, 39.95, 116.11, 39.96), props: { district: '乙区' } },
        // a street whose own name ends in 区 (中山's 西区街道), written 西区 in the orders
        { name: '西区街道', rings: rect(116.12, 39.95, 116.13, 39.96), props: { district: '乙区' } },
      ]),
    );
    const spatial = { boundaries: { districts: 'd.geojson', streets: 's.geojson' } };
    const cfgFile = join(t.dir, 'weisu.config.json');
    writeFileSync(cfgFile, JSON.stringify({ spatial }));
    await insertOrders(t.store, [
      { id: 'n1', created: '2025-01-01', district: ' 乙 ', street: '东' },
      { id: 'n2', created: '2025-01-01', district: '乙区', street: '望京' },
      { id: 'n5', created: '2025-01-01', district: '乙区', street: '西区' },
      { id: 'n3', created: '2025-01-01', district: '丙区', street: '不存在街道' },
      { id: 'n4', created: '2025-01-01' },
    ]);
    const ctx = testContext(t.store, '2025-02-01', { spatial });
    // config paths resolve against the config file's folder
    const config = { ...ctx.config, baseDir: t.dir };
    const counts = await t.store.tx(() => placeStage.run({ ...ctx, config }));
    const p = await places(t.store);
    expect(p.n1).toMatchObject({ district: '乙区', match: 'name', cell: null, coord_status: 'missing' });
    expect(p.n1.street).toBe('东街道'); // the 乙区 one (its name carries a trailing space, trimmed)
    expect(p.n2).toMatchObject({ district: '乙区', street: '望京街道', match: 'name' });
    expect(p.n5).toMatchObject({ district: '乙区', street: '西区街道', match: 'name' });
    expect(p.n3).toMatchObject({ district: null, street: null, match: 'none' });
    expect(p.n4.match).toBe('none');
    expect(counts.match_none).toBe(2);
    expect(counts.share_none).toBe(0.4);
    // n1 (东 matches two streets; the 乙区 one), n2 and n5 have a street; n3 and n4 have none
    expect(counts.no_street).toBe(2);
  });

  it('with no boundaries keeps the order names and still computes cells', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    await insertOrders(t.store, [
      { id: 'x', created: '2025-01-01', lon: 116.05, lat: 39.97, district: ' 甲区', street: '北街道' },
      { id: 'y', created: '2025-01-01' },
    ]);
    const counts = await t.store.tx(() =>
      placeStage.run(testContext(t.store, '2025-02-01', { spatial: { resolution: 9 } })),
    );
    expect(counts.levels).toBe('names only');
    const p = await places(t.store);
    expect(p.x).toMatchObject({
      district: '甲区',
      street: '北街道',
      match: 'name',
      coord_status: 'unchecked',
      cell: latLngToCell(39.97, 116.05, 9),
    });
    expect(p.y.match).toBe('none');
  });

  it('with no street boundaries reads a street written as its office (街道办事处) as the street', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    await insertOrders(t.store, [
      { id: 'a', created: '2025-01-01', district: '朝阳区', street: '三里屯街道' },
      { id: 'b', created: '2025-01-01', district: '朝阳区', street: '三里屯街道办事处' },
      { id: 'c', created: '2025-01-01', district: '朝阳区', street: '东坝地区办事处' },
      { id: 'd', created: '2025-01-01', district: '朝阳区', street: '城关' },
    ]);
    await t.store.tx(() => placeStage.run(testContext(t.store, '2025-02-01', { spatial: { resolution: 9 } })));
    const p = await places(t.store);
    expect([p.a.street, p.b.street, p.c.street, p.d.street]).toEqual(['三里屯街道', '三里屯街道', '东坝地区', '城关']);
  });

  it('is incremental and idempotent, and re-places everything when the boundaries change', async () => {
    const { store, spatial } = await setup();
    await insertOrders(store, [{ id: 'a', created: '2025-01-01', lon: 116.05, lat: 39.97, seq: 1 }]);
    const ctx = testContext(store, '2025-02-01', { spatial });
    expect((await store.tx(() => placeStage.run(ctx))).orders).toBe(1);
    expect((await store.tx(() => placeStage.run(ctx))).orders).toBe(0);
    await insertOrders(store, [{ id: 'b', created: '2025-01-02', lon: 116.15, lat: 39.97, seq: 2 }]);
    // an update of 'a' (new seq, moved east)
    await store.exec("UPDATE orders SET seq = 2, lon = 116.15 WHERE order_id = 'a'");
    expect((await store.tx(() => placeStage.run(ctx))).orders).toBe(2);
    expect(await store.value('SELECT count(*) FROM order_places')).toBe(2);
    expect((await places(store)).a.district).toBe('乙区');
    const other = testContext(store, '2025-02-01', { spatial: { ...spatial, resolution: 7 } });
    const counts = await store.tx(() => placeStage.run(other));
    expect(counts).toMatchObject({ orders: 2, rebuilt: 1 });
    expect((await places(store)).b.cell).toBe(latLngToCell(39.97, 116.15, 7));
  });
});

describe('place stage in batches', () => {
  it('gives the same places batch by batch as in one go, and restores the memory limit', async () => {
    const orders = Array.from({ length: 2500 }, (_, i) => ({
      id: `o${i}`,
      created: '2025-01-01',
      ...(i % 10 === 0 ? { district: '乙区' } : { lon: 116.01 + (i % 97) * 0.0019, lat: 39.91 + (i % 89) * 0.0011 }),
    }));
    const one = await setup();
    await insertOrders(one.store, orders);
    await one.store.tx(() => placeStage.run(testContext(one.store, '2025-02-01', { spatial: one.spatial })));
    const many = await setup();
    await insertOrders(many.store, orders);
    const before = await many.store.value<string>("SELECT current_setting('memory_limit')");
    const counts = await many.store.tx(() =>
      placeStage.run(testContext(many.store, '2025-02-01', { spatial: { ...many.spatial, batchSize: 1000 } })),
    );
    expect(counts.orders).toBe(2500);
    expect(await places(many.store)).toEqual(await places(one.store));
    expect(await many.store.value("SELECT current_setting('memory_limit')")).toBe(before);
  });

  it('reads DuckDB memory sizes', () => {
    expect(memoryBytes('1GB')).toBe(1e9);
    expect(memoryBytes('18.8 GiB')).toBeCloseTo(18.8 * 2 ** 30);
    expect(memoryBytes('lots')).toBeNull(); // not a size (the shared parser says so with null, not NaN)
  });
});

describe('boundaries', () => {
  const names = ['name'];
  /** The error's whole message: a user reads this one line. */
  function errorOf(fn: () => unknown): string {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return (err as Error).message;
    }
    throw new Error('no error thrown');
  }
  const one = (geometry: unknown, properties: Record<string, unknown> = { name: 'x' }) =>
    JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties, geometry }] });
  it('rejects a ring that does not close, naming file and feature', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'ok' }, geometry: { type: 'Polygon', coordinates: rect(0, 0, 1, 1) } },
        {
          type: 'Feature',
          properties: { name: 'open' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
              ],
            ],
          },
        },
      ],
    });
    expect(errorOf(() => parseBoundaries(text, 'streets.geojson', names))).toBe(
      '边界文件 streets.geojson：features[1]（open）coordinates[0]：环没有闭合（首点 [0, 0] ≠ 末点 [0, 1]）',
    );
  });
  it('rejects invalid JSON, non-collections, unnamed features and projected coordinates', () => {
    expect(errorOf(() => parseBoundaries('{', 'a.geojson', names))).toMatch(
      /^边界文件 a\.geojson：不是有效的 JSON（.+）$/,
    );
    expect(errorOf(() => parseBoundaries('{"type":"Feature"}', 'a.geojson', names))).toBe(
      '边界文件 a.geojson：不是 GeoJSON FeatureCollection（应为 {"type": "FeatureCollection", "features": [...]}）',
    );
    const unnamed = one({ type: 'Polygon', coordinates: rect(0, 0, 1, 1) }, {});
    expect(errorOf(() => parseBoundaries(unnamed, 'a.geojson', ['name', '名称']))).toBe(
      '边界文件 a.geojson：features[0].properties：没有名称（找过的属性：name、名称）',
    );
    const projected = featureCollection([{ name: 'p', rings: rect(440000, 4400000, 441000, 4401000) }]);
    expect(errorOf(() => parseBoundaries(projected, 'a.geojson', names))).toBe(
      '边界文件 a.geojson：features[0]（p）coordinates[0][0]：[440000, 4400000] 不是 WGS-84 经纬度（是投影坐标吗？）',
    );
    const line = one({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 1],
      ],
    });
    expect(errorOf(() => parseBoundaries(line, 'a.geojson', names))).toBe(
      '边界文件 a.geojson：features[0]（x）geometry.type：LineString 不是 Polygon 或 MultiPolygon',
    );
  });
  it('names the file and the JSON path of every other problem in one Chinese line', () => {
    const cases: [string, string][] = [
      ['{"type":"FeatureCollection","features":[]}', '边界文件 b.geojson：features 为空，没有任何边界'],
      [
        '{"type":"FeatureCollection","features":[{"type":"Polygon"}]}',
        '边界文件 b.geojson：features[0]：不是 GeoJSON Feature',
      ],
      [one(null), '边界文件 b.geojson：features[0]（x）：没有 geometry'],
      [
        one({ type: 'MultiPolygon', coordinates: [] }),
        '边界文件 b.geojson：features[0]（x）coordinates：MultiPolygon 中没有多边形',
      ],
      [
        one({ type: 'Polygon', coordinates: [] }),
        '边界文件 b.geojson：features[0]（x）coordinates：多边形应为非空的环数组',
      ],
      [
        one({ type: 'Polygon', coordinates: ['ring'] }),
        '边界文件 b.geojson：features[0]（x）coordinates[0]：环应为由 [经度, 纬度] 组成的数组',
      ],
      [
        one({
          type: 'MultiPolygon',
          coordinates: [
            rect(0, 0, 1, 1),
            [
              [
                [0, 0],
                [1, 0],
                [1, '1'],
                [0, 0],
              ],
            ],
          ],
        }),
        '边界文件 b.geojson：features[0]（x）coordinates[1][0][2]：不是由两个数组成的 [经度, 纬度]',
      ],
    ];
    for (const [text, line] of cases) expect(errorOf(() => parseBoundaries(text, 'b.geojson', names))).toBe(line);
    expect(errorOf(() => loadBoundaries('/nonexistent/c.geojson', names))).toBe(
      '找不到边界文件：/nonexistent/c.geojson',
    );
  });
  it('surfaces a bad boundary file as a user error from the stage', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    const bad = join(t.dir, 'bad.geojson');
    writeFileSync(
      bad,
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}',
    );
    await expect(
      placeStage.run(testContext(t.store, '2025-02-01', { spatial: { boundaries: { districts: bad } } })),
    ).rejects.toThrow(new UserError(`边界文件 ${bad}：features[0]（x）coordinates[0]：环至少要有 4 个点（只有 3 个）`));
    const missing = join(t.dir, 'none.geojson');
    await expect(
      placeStage.run(testContext(t.store, '2025-02-01', { spatial: { boundaries: { streets: missing } } })),
    ).rejects.toThrow(new UserError(`配置 spatial 部分：boundaries.streets 指向的文件不存在：${missing}`));
  });
});

describe('polygon index', () => {
  it('answers exactly as testing every polygon with turf, for concave polygons with holes', () => {
    // a comb-shaped concave polygon, a polygon with a hole, and a multipolygon, tiled side by side
    const comb = [
      [
        [0, 0],
        [3, 0],
        [3, 3],
        [2.5, 3],
        [2.5, 1],
        [2, 1],
        [2, 3],
        [1.5, 3],
        [1.5, 1],
        [1, 1],
        [1, 3],
        [0, 3],
        [0, 0],
      ],
    ];
    const holed = [
      rect(3, 0, 6, 3)[0],
      [
        [4, 1],
        [5, 1],
        [5, 2],
        [4, 2],
        [4, 1],
      ],
    ];
    const fc = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'comb' }, geometry: { type: 'Polygon', coordinates: comb } },
        { type: 'Feature', properties: { name: 'holed' }, geometry: { type: 'Polygon', coordinates: holed } },
        {
          type: 'Feature',
          properties: { name: 'multi' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              rect(4.2, 1.2, 4.8, 1.8),
              [
                [
                  [6, 0],
                  [9, 1.5],
                  [6, 3],
                  [6, 0],
                ],
              ],
            ],
          },
        },
      ],
    });
    const bs = parseBoundaries(fc, 'fixture', ['name']);
    const index = new PolygonIndex(bs, { cellsAcross: 7 });
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let mismatches = 0;
    for (let i = 0; i < 20000; i++) {
      const x = -0.5 + rnd() * 10;
      const y = -0.5 + rnd() * 4;
      const expected = bs.findIndex((b) =>
        booleanPointInPolygon([x, y], {
          type: 'Feature',
          properties: {},
          geometry: { type: 'MultiPolygon', coordinates: b.polygons },
        }),
      );
      if (index.locate(x, y) !== expected) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(index.lookups).toBeGreaterThan(index.pipTests / 10); // the raster answers a real share without turf
  });
});

describe('H3 cache', () => {
  it('gives the same cell as h3-js for every point, with far fewer calls on dense points', async () => {
    const { H3Cache } = await import('../../src/spatial/h3-cache.js');
    const cache = new H3Cache(8);
    let seed = 9;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let wrong = 0;
    const n = 50000;
    for (let i = 0; i < n; i++) {
      const lon = 116.3 + rnd() * 0.05;
      const lat = 39.9 + rnd() * 0.05;
      if (cache.names[cache.lookup(lon, lat)] !== latLngToCell(lat, lon, 8)) wrong++;
    }
    expect(wrong).toBe(0);
    expect(cache.calls).toBeLessThan(n / 2);
  });
});
