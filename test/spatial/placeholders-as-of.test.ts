import { afterEach, describe, expect, it } from 'vitest';
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { hotspotStage } from '../../src/spatial/hotspot-stage.js';
import { placeQuality, placeStage } from '../../src/spatial/stage.js';
import { addDays } from '../../src/store/dates.js';
import type { Store } from '../../src/store/db.js';
import { runCliAsync, tempStore, testContext } from '../helpers.js';
import { insertOrders, type TestOrder } from './fixtures.js';

// CONTRACT §2: a run for a past as-of sees only the orders created before it, so loading later orders must not
// change what it says — also through the rule that finds points naming no place. Invented city, no boundaries.
const AS_OF = '2026-11-02';
const CENTRE = latLngToCell(30.52, 104.31, 8);
const AREA = gridDisk(CENTRE, 5);
const DISTRICTS = ['东湖区', '西岭区', '南山区', '北塘区', '中和区'];
// P: a real address until November, when a geocoder starts putting orders from four other districts there
const P_CELL = AREA[3];
const [P_LAT, P_LON] = cellToLatLng(P_CELL);
const P = { lon: P_LON + 0.0001, lat: P_LAT + 0.0001 };
// Q: a geocoder's default in September (many districts), then a busy real address in November (one district)
const Q_CELL = AREA[40];
const [Q_LAT, Q_LON] = cellToLatLng(Q_CELL);
const Q = { lon: Q_LON + 0.0001, lat: Q_LAT + 0.0001 };

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function background(): TestOrder[] {
  const out: TestOrder[] = [];
  for (let d = 0; d < 150; d += 2)
    AREA.forEach((cell, i) => {
      if ((i + d) % 4 !== 0) return;
      const [lat, lon] = cellToLatLng(cell);
      out.push({ id: `b${d}-${i}`, created: addDays('2026-06-01', d), category: '交通出行/道路', lon, lat });
    });
  return out;
}

function at(
  prefix: string,
  point: { lon: number; lat: number },
  start: string,
  n: number,
  perDay: number,
  names: string[],
) {
  return Array.from({ length: n }, (_, j) => ({
    id: `${prefix}-${j}`,
    created: addDays(start, Math.floor(j / perDay)),
    category: '交通出行/道路',
    ...point,
    district: names[j % names.length],
  }));
}

/** Orders created before the as-of, and the ones after it (the same in both stores). */
const before = (): TestOrder[] => [
  ...background().filter((o) => o.created < AS_OF),
  ...at('p-oct', P, '2026-10-06', 30, 2, ['东湖区']),
  ...at('q-sep', Q, '2026-09-01', 60, 3, DISTRICTS.slice(1)),
];
const after = (): TestOrder[] => [
  ...background().filter((o) => o.created >= AS_OF),
  ...at('p-nov', P, '2026-11-03', 60, 3, DISTRICTS.slice(1)),
  ...at('q-nov', Q, '2026-11-03', 300, 10, ['南山区']),
];

interface Row {
  cell: string;
  category: string | null;
  kind: string;
  count: number;
  z: number;
}

const paths = new Map<Store, string>();

async function store(orders: TestOrder[]): Promise<Store> {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  await insertOrders(t.store, orders);
  await t.store.tx(() => placeStage.run(testContext(t.store, '2026-12-15')));
  paths.set(t.store, t.dbPath);
  return t.store;
}

async function hotspots(s: Store, asOf: string): Promise<Row[]> {
  const cfg = { spatial: { hotspots: { minCategoryCount: 20, minCellCount: 5 } } };
  await s.tx(() => hotspotStage.run(testContext(s, asOf, cfg)));
  return s.all<Row>('SELECT cell, category, kind, count, z FROM hotspots WHERE as_of = $d ORDER BY ALL', { d: asOf });
}

describe('placeholder points and --as-of', () => {
  it('gives a past as-of the same hotspots whether or not later orders are loaded', async () => {
    const a = await store(before());
    const b = await store([...before(), ...after()]);
    const ha = await hotspots(a, AS_OF);
    const hb = await hotspots(b, AS_OF);
    // the finding: P's October orders make its cell a hotspot before November, in both stores
    expect(ha.find((r) => r.cell === P_CELL && r.category === null)?.count).toBeGreaterThanOrEqual(30);
    expect(hb).toEqual(ha);
    // and the data quality of the orders before the as-of, as weisu hotspots --json prints it (the points listed are
    // today's: not compared)
    for (const from of ['0001-01-01', '2026-10-05']) {
      const { placeholder_points: _pa, ...qa } = await placeQuality(a, { from, to: AS_OF });
      const { placeholder_points: _pb, ...qb } = await placeQuality(b, { from, to: AS_OF });
      expect(qb).toEqual(qa);
      expect(qa.coords_placeholder).toBe(from === '0001-01-01' ? 60 : 0);
    }

    // today each store places by all its orders: in B P names no place and Q is a real address again
    const cells = async (s: Store, prefix: string) =>
      s.all<{ cell: string | null }>("SELECT cell FROM order_places WHERE order_id LIKE $p || '-%'", { p: prefix });
    expect((await cells(b, 'p-oct')).every((r) => r.cell === null)).toBe(true);
    expect((await cells(b, 'q-sep')).every((r) => r.cell === Q_CELL)).toBe(true);
    expect((await cells(a, 'q-sep')).every((r) => r.cell === null)).toBe(true);
    // P became one when its orders naming other districts reached those naming 东湖区 (30 of them, three a day from
    // 11-03: after 11-12, so from the as-of 11-13); Q from the as-of after its 50th order (09-17) until the as-of after
    // the day 南山区 became more than half of its named orders (15 + 40 of 60 + 40 after 11-06)
    const spans = await b.all<{ lon: number; since: string; until: string | null }>(
      "SELECT lon, strftime(since, '%Y-%m-%d') AS since, strftime(until, '%Y-%m-%d') AS until FROM place_placeholder_spans ORDER BY since",
    );
    expect(spans).toEqual([
      { lon: Q.lon, since: '2026-09-18', until: '2026-11-07' },
      { lon: P.lon, since: '2026-11-13', until: null },
    ]);
    // an as-of inside P's stretch: its cell loses every order at P, November's and October's alike
    const late = await hotspots(b, '2026-11-20');
    expect(late.find((r) => r.cell === P_CELL && r.category === null)).toBeUndefined();
  }, 120_000);

  it("prints the same weisu hotspots --as-of --json from both stores (but for the list of today's points)", async () => {
    const a = await store(before());
    const b = await store([...before(), ...after()]);
    const docs = [];
    for (const s of [a, b]) {
      s.close();
      const res = await runCliAsync(['--db', paths.get(s)!, '--json', 'hotspots', '--as-of', AS_OF]);
      expect(res.code, res.stderr).toBe(0);
      const doc = JSON.parse(res.stdout) as { cells: Row[]; data_quality: Record<string, unknown> };
      delete doc.data_quality.placeholder_points;
      delete (doc.data_quality.window as Record<string, unknown>).placeholder_points;
      docs.push(doc);
    }
    expect(docs[0].cells.some((c) => c.cell === P_CELL)).toBe(true);
    expect(docs[1]).toEqual(docs[0]);
  }, 120_000);
});
