import { afterEach, describe, expect, it } from 'vitest';
import { placeQuality, placeStage } from '../../src/spatial/stage.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testContext } from '../helpers.js';
import { insertOrders, writeTinyCity, type TestOrder } from './fixtures.js';

// Invented city without boundary files: eight districts side by side, each with 40 orders at 40 distinct addresses.
// City hall (the geocoder's default) sits in 一区; a big housing estate sits in 二区 (one street).
const DISTRICTS = ['一区', '二区', '三区', '四区', '五区', '六区', '七区', '八区'];
const HALL = { lon: 116.0123, lat: 39.9123 };
const ESTATE = { lon: 116.0567, lat: 39.9345 };
const BORDER = { lon: 116.0751, lat: 39.9011 };

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function spread(): TestOrder[] {
  return DISTRICTS.flatMap((d, i) =>
    Array.from({ length: 40 }, (_, j) => ({
      id: `s-${i}-${j}`,
      created: '2025-03-01',
      lon: 116 + 0.05 * i + 0.001 * (j % 8),
      lat: 39.9 + 0.001 * Math.floor(j / 8),
      district: d,
      street: `${d}${j % 3}街道`,
    })),
  );
}

/** n orders at one point, their district names drawn in turn from names. */
function at(
  prefix: string,
  point: { lon: number; lat: number },
  n: number,
  names: (string | null)[],
  seq = 1,
): TestOrder[] {
  return Array.from({ length: n }, (_, j) => ({
    id: `${prefix}-${j}`,
    created: '2025-03-02',
    ...point,
    district: names[j % names.length],
    street: names[j % names.length] === null ? null : `${names[j % names.length]}0街道`,
    seq,
  }));
}

interface Row {
  order_id: string;
  cell: string | null;
  district: string | null;
  coord_status: string;
}

async function rows(store: Store, prefix: string): Promise<Row[]> {
  return store.all<Row>(
    "SELECT order_id, cell, district, coord_status FROM order_places WHERE order_id LIKE $p || '-%' ORDER BY order_id",
    { p: prefix },
  );
}

async function run(store: Store) {
  return store.tx(() => placeStage.run(testContext(store, '2025-04-01')));
}

describe('placeholder points', () => {
  it('treats a point shared by orders from many districts as no coordinates, and keeps a busy estate', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    // the estate: nearly as many orders as the default point, 90 % naming its own district (a few wrong names)
    // three names, like the default point: only their shares tell them apart
    const estate = at('estate', ESTATE, 300, [...Array<string>(18).fill('二区'), '三区', '四区']);
    await insertOrders(t.store, [
      ...spread(),
      // most orders at the default point name no district at all (the export's own geocoder could not place them)
      ...at('hall', HALL, 120, DISTRICTS),
      ...at('hallx', HALL, 200, [null]),
      ...estate,
      // an estate on a district line: two names, neither a majority of 3
      ...at('border', BORDER, 100, ['二区', '二区', '二区', '三区', '三区']),
      { id: 'far-1', created: '2025-03-03', lon: 121.5, lat: 31.2, district: '一区' },
      { id: 'zero-1', created: '2025-03-03', lon: 0, lat: 0, district: '一区' },
    ]);
    const counts = await run(t.store);
    expect(counts.coords_placeholder).toBe(321);

    const hall = await rows(t.store, 'hall');
    expect(hall).toHaveLength(120);
    expect(hall.every((r) => r.cell === null && r.coord_status === 'placeholder')).toBe(true);
    // still counted by the district they name
    expect(hall.filter((r) => r.district === '五区')).toHaveLength(15);

    for (const p of ['estate', 'border', 's']) {
      const rs = await rows(t.store, p);
      expect(
        rs.every((r) => r.cell !== null && r.coord_status === 'unchecked'),
        p,
      ).toBe(true);
    }
    expect((await rows(t.store, 'far'))[0]).toMatchObject({
      cell: null,
      coord_status: 'placeholder',
      district: '一区',
    });
    expect((await rows(t.store, 'zero'))[0]).toMatchObject({ cell: null, coord_status: 'invalid' });

    const q = await placeQuality(t.store);
    expect(q.coords_placeholder).toBe(321);
    expect((await rows(t.store, 'hallx')).every((r) => r.cell === null)).toBe(true);
    expect(q.with_cell).toBe(320 + 300 + 100);
    expect(q.placeholder_points).toHaveLength(2);
    expect(q.placeholder_points[0]).toMatchObject({ ...HALL, reason: 'shared', orders: 320, names: 8 });
    expect(q.placeholder_points[0].share).toBeCloseTo(320 / (320 + 320 + 300 + 100 + 1), 4);
    expect(q.placeholder_points[1]).toMatchObject({ lon: 121.5, lat: 31.2, reason: 'outside_box', orders: 1 });
  });

  it('falls back to street names when the orders give no district, and re-places earlier orders once a point is known', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    const noDistrict = (os: TestOrder[]) => os.map((o) => ({ ...o, district: null }));
    // 30 orders at the default point: under minOrders (50), so nothing is known yet
    await insertOrders(t.store, [...spread(), ...noDistrict(at('hall', HALL, 30, DISTRICTS))]);
    await run(t.store);
    expect((await rows(t.store, 'hall')).every((r) => r.cell !== null)).toBe(true);

    await insertOrders(t.store, noDistrict(at('hall2', HALL, 30, DISTRICTS, 2)));
    const counts = await run(t.store);
    // only the point's orders are placed again, not the whole store
    expect(counts).toMatchObject({ rebuilt: 0, placeholder_points_changed: 1, orders: 60 });
    const all = [...(await rows(t.store, 'hall')), ...(await rows(t.store, 'hall2'))];
    expect(all).toHaveLength(60);
    expect(all.every((r) => r.cell === null && r.coord_status === 'placeholder')).toBe(true);
    const q = await placeQuality(t.store);
    expect(q.placeholder_points[0]).toMatchObject({ reason: 'shared', orders: 60, names: 8 });

    // switched off: the point's orders get their cells back
    const off = await t.store.tx(() =>
      placeStage.run(testContext(t.store, '2025-04-01', { spatial: { placeholders: { enabled: false } } })),
    );
    expect(off).toMatchObject({ rebuilt: 0, placeholder_points_changed: 1, orders: 60 });
    expect((await rows(t.store, 'hall')).every((r) => r.cell !== null && r.coord_status === 'unchecked')).toBe(true);
  });

  it('with boundaries, places the orders at the default point by the names they give, not by the polygon holding it', async () => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    const spatial = writeTinyCity(t.dir);
    // the point lies in 甲区 / 北街道; its orders name 甲区, 乙区 and a district the boundaries do not have
    const point = { lon: 116.05, lat: 39.97 };
    await insertOrders(t.store, [
      ...at('hall', point, 60, ['甲区', '乙区', '丙区']).map((o) => ({ ...o, street: null })),
      { id: 'real-1', created: '2025-03-01', lon: 116.15, lat: 39.93 },
    ]);
    await t.store.tx(() => placeStage.run(testContext(t.store, '2025-04-01', { spatial })));
    const rs = await rows(t.store, 'hall');
    expect(rs.every((r) => r.cell === null && r.coord_status === 'placeholder')).toBe(true);
    const by = (d: string | null) => rs.filter((r) => r.district === d).length;
    expect([by('甲区'), by('乙区'), by(null)]).toEqual([20, 20, 20]);
    expect((await rows(t.store, 'real'))[0]).toMatchObject({ district: '乙区', coord_status: 'inside' });
  });
});
