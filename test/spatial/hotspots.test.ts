import { afterEach, describe, expect, it } from 'vitest';
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { benjaminiHochberg as bhAdjust } from '../../src/stats/fdr.js';
import { normalUpper as upperP } from '../../src/stats/normal.js';
import { giStar, h3Neighbours, neighboursFromLists } from '../../src/spatial/gistar.js';
import { hotspotStage } from '../../src/spatial/hotspot-stage.js';
import { placeStage } from '../../src/spatial/stage.js';
import { addDays } from '../../src/store/dates.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testConfig, testContext } from '../helpers.js';
import { insertOrders, type TestOrder } from './fixtures.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

describe('Gi*', () => {
  it('matches a hand-computed example', () => {
    // four cells in a row; x̄ = 4, s = √12.5
    const nb = neighboursFromLists([
      [0, 1],
      [0, 1, 2],
      [1, 2, 3],
      [2, 3],
    ]);
    const z = giStar([1, 2, 3, 10], nb);
    expect(z[0]).toBeCloseTo(-5 / (Math.sqrt(12.5) * Math.sqrt(4 / 3)), 10);
    expect(z[1]).toBeCloseTo(-6 / Math.sqrt(12.5), 10);
    expect(z[2]).toBeCloseTo(3 / Math.sqrt(12.5), 10);
    expect(z[3]).toBeCloseTo(5 / (Math.sqrt(12.5) * Math.sqrt(4 / 3)), 10);
  });
  it('is zero for a constant field and uses H3 rings as neighbours', () => {
    const centre = latLngToCell(39.9, 116.4, 8);
    const cells = gridDisk(centre, 2);
    const nb = h3Neighbours(cells);
    const i = cells.indexOf(centre);
    expect(nb.offsets[i + 1] - nb.offsets[i]).toBe(7);
    expect(giStar(new Float64Array(cells.length).fill(3), nb).every((v) => v === 0)).toBe(true);
  });
});

describe('FDR', () => {
  it('gives Benjamini–Hochberg q-values (as R p.adjust(method = "BH"))', () => {
    expect(Array.from(bhAdjust([0.01, 0.04, 0.03, 0.005]))).toEqual([0.02, 0.04, 0.04, 0.02]);
    const q = bhAdjust([0.9, 0.5, 0.001]);
    expect(q[2]).toBeCloseTo(0.003, 12);
    expect(q[0]).toBeCloseTo(0.9, 12);
  });
  it('computes normal tail p-values with relative precision far out in the tail', () => {
    expect(upperP(0)).toBeCloseTo(0.5, 7);
    expect(upperP(1.959964)).toBeCloseTo(0.025, 6);
    expect(upperP(5) / 2.866515718791939e-7).toBeCloseTo(1, 5);
    expect(upperP(-3)).toBeCloseTo(1 - 0.0013498980316301, 7);
  });
});

/** A seeded generator so fixtures are identical run to run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(r: () => number, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = r();
  while (u > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

const AS_OF = '2025-06-02';
const CENTRE = latLngToCell(39.9, 116.4, 8);
const AREA = gridDisk(CENTRE, 11); // 397 cells
const CATS = ['市容环境/噪音扰民', '城乡建设/道路', '交通管理/停车', '市场监管/食品安全', '公用事业/供水'];
// planted: a new cluster 2 weeks old, an old one present the whole time, and one cell hot for three categories
const EMERGING = gridDisk(CENTRE, 6).find((c) => !gridDisk(CENTRE, 4).includes(c))!;
const PERSISTENT = gridDisk(CENTRE, 3).find((c) => !gridDisk(CENTRE, 2).includes(c))!;
const MULTI = gridDisk(CENTRE, 5)
  .filter((c) => !gridDisk(CENTRE, 4).includes(c))
  .find((c) => !gridDisk(EMERGING, 3).includes(c))!;

function cityOrders(): TestOrder[] {
  const r = rng(7);
  const out: TestOrder[] = [];
  let id = 0;
  const start = addDays(AS_OF, -300);
  const add = (cell: string, day: string, category: string) => {
    const [lat, lon] = cellToLatLng(cell);
    out.push({
      id: `o${id++}`,
      created: `${day} ${String(8 + (id % 10)).padStart(2, '0')}:00:00`,
      category,
      lon: lon + (r() - 0.5) * 1e-4,
      lat: lat + (r() - 0.5) * 1e-4,
    });
  };
  for (let d = 0; d < 300; d += 7) {
    const day = addDays(start, d);
    for (const cell of AREA)
      for (const cat of CATS)
        for (let k = poisson(r, 0.2); k > 0; k--) add(cell, addDays(day, Math.floor(r() * 7)), cat);
    for (let k = 0; k < 6; k++) add(PERSISTENT, addDays(day, k), CATS[0]);
    if (day >= addDays(AS_OF, -14)) {
      for (let k = 0; k < 7; k++) add(EMERGING, addDays(day, k % 7), CATS[1]);
      for (const cat of CATS.slice(2)) for (let k = 0; k < 8; k++) add(MULTI, addDays(day, k % 7), cat);
    }
  }
  return out.filter((o) => o.created < AS_OF);
}

async function cityStore(extra: TestOrder[] = []): Promise<Store> {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  await insertOrders(t.store, [...cityOrders(), ...extra]);
  await t.store.tx(() => placeStage.run(testContext(t.store, AS_OF)));
  return t.store;
}

interface Row {
  cell: string;
  category: string | null;
  kind: string;
  count: number;
  z: number;
  q: number;
  categories: string | null;
  above_usual: boolean | null;
}

const config = { spatial: { hotspots: { minCategoryCount: 20, minCellCount: 5 } } };

async function hotspots(store: Store, asOf = AS_OF, cfg: Record<string, unknown> = config): Promise<Row[]> {
  const counts = await store.tx(() => hotspotStage.run(testContext(store, asOf, cfg)));
  if (process.env.DEBUG_HS) console.log(JSON.stringify(counts), await store.value('SELECT count(*) FROM orders'));
  return store.all<Row>(
    'SELECT cell, category, kind, count, z, q, categories::VARCHAR AS categories, above_usual FROM hotspots WHERE as_of = $d ORDER BY ALL',
    { d: asOf },
  );
}

describe('hotspot stage', () => {
  it('finds the planted cells with the right kinds and flags few others', async () => {
    const store = await cityStore();
    const rows = await hotspots(store);
    const of = (cell: string, category: string | null) =>
      rows.filter((r) => r.cell === cell && r.category === category).map((r) => r.kind);
    expect(of(EMERGING, CATS[1])).toEqual(['emerging']);
    expect(of(PERSISTENT, CATS[0])).toEqual(['persistent']);
    if (process.env.DEBUG_HS)
      console.log(
        JSON.stringify(
          rows.map((r) => [
            r.cell === MULTI ? 'MULTI' : r.cell === EMERGING ? 'EM' : r.cell === PERSISTENT ? 'PER' : r.cell,
            r.category,
            r.kind,
            r.count,
            r.z.toFixed(2),
            r.q.toFixed(4),
          ]),
        ),
      );
    for (const cat of CATS.slice(2)) expect(of(MULTI, cat)).toEqual(['emerging']);
    const multi = rows.filter((r) => r.kind === 'multi_category');
    expect(multi.map((r) => r.cell)).toEqual([MULTI]);
    expect(JSON.parse(multi[0].categories!)).toEqual(CATS.slice(2).sort());
    // every row passed Gi* at the FDR, or the scan found it above its own usual level
    for (const r of rows) expect(r.q <= 0.05 || r.above_usual).toBe(true);
    // the planted busy-and-steady cell is Gi*'s persistent hotspot but at its usual level; the new heat is above it
    expect(rows.find((r) => r.cell === PERSISTENT && r.category === CATS[0])?.above_usual).toBe(false);
    expect(rows.find((r) => r.cell === EMERGING && r.category === CATS[1])?.above_usual).toBe(true);
    const planted = new Set([EMERGING, PERSISTENT, MULTI]);
    const others = new Set(rows.filter((r) => !planted.has(r.cell)).map((r) => r.cell));
    expect(others.size).toBeLessThanOrEqual(Math.ceil(AREA.length / 100));
  });

  it('scans a category too rare for Gi* (under minCategoryCount in the window): 10 orders in one quiet cell in a week', async () => {
    const rare = '生态环境/固废污染';
    const r = rng(11);
    const extra: TestOrder[] = [];
    const at = (cell: string, day: string, id: string) => {
      const [lat, lon] = cellToLatLng(cell);
      extra.push({ id, created: `${day} 10:00:00`, category: rare, lon, lat });
    };
    // about one a week anywhere over the year, then 10 in one cell in the last week: 14 in the window, under 20. The
    // cell had none before, so its burst is most of its own usual level (the scan's baseline is the study year): 6
    // there are p 0.008 within the layer and 0.22 for the city (not above its usual level under the city-wide level
    // of one false hotspot in 14 nights, with the 5 busy layers around it); 10 are 0.03.
    for (let d = 300; d > 7; d -= 7) at(AREA[Math.floor(r() * AREA.length)], addDays(AS_OF, -d), `rare${d}`);
    const cell = AREA[200];
    for (let k = 0; k < 10; k++) at(cell, addDays(AS_OF, -1 - (k % 7)), `burst${k}`);
    const rows = await hotspots(await cityStore(extra));
    const hit = rows.find((x) => x.cell === cell && x.category === rare);
    expect(hit?.above_usual).toBe(true);
    expect(hit?.count).toBeGreaterThanOrEqual(10);
  });

  it("leaves the orders of excludeChannels out: a crew logging a day's repairs in one cell is no hotspot", async () => {
    // 12 orders of one category in one quiet cell in the last week, logged by staff; 2 more there by residents
    const cell = AREA[150];
    const [lat, lon] = cellToLatLng(cell);
    const burst: TestOrder[] = [];
    for (let k = 0; k < 14; k++)
      burst.push({
        id: `crew${k}`,
        created: `${addDays(AS_OF, -2)} 09:00:00`,
        category: CATS[1],
        lon,
        lat,
        channel: k < 12 ? 'Employee Generated' : '电话',
      });
    const store = await cityStore(burst);
    const at = (rows: Row[]) => rows.find((r) => r.cell === cell && r.category === CATS[1]);
    expect(at(await hotspots(store))?.above_usual).toBe(true);
    const cfg = { spatial: { hotspots: { ...config.spatial.hotspots, excludeChannels: ['Employee Generated'] } } };
    expect(at(await hotspots(store, AS_OF, cfg))).toBeUndefined();
  });

  it('is idempotent and respects as-of: orders on or after the date change nothing', async () => {
    const burst: TestOrder[] = [];
    const [lat, lon] = cellToLatLng(AREA[5]);
    for (let k = 0; k < 200; k++)
      burst.push({ id: `late${k}`, created: AS_OF + ' 00:00:00', category: CATS[2], lon, lat });
    const store = await cityStore(burst);
    const first = await hotspots(store);
    const again = await hotspots(store);
    expect(again).toEqual(first);
    expect(first.some((r) => r.cell === AREA[5])).toBe(false);
    // a day later the burst is inside the window
    const later = await hotspots(store, addDays(AS_OF, 1));
    expect(later.some((r) => r.cell === AREA[5] && r.category === CATS[2])).toBe(true);
    expect(await store.value('SELECT count(DISTINCT as_of) FROM hotspots')).toBe(2);
  });

  it('calls nothing emerging when the store does not reach back over the emerging windows', async () => {
    const store = await cityStore();
    await store.exec("DELETE FROM orders WHERE created_at < '2025-04-01'");
    await store.exec('DELETE FROM order_places WHERE order_id NOT IN (SELECT order_id FROM orders)');
    const rows = await hotspots(store);
    expect(rows.some((r) => r.cell === EMERGING && r.kind === 'hot')).toBe(true);
    expect(rows.some((r) => r.kind === 'emerging')).toBe(false);
  });
});

describe('kinds from window history', () => {
  it('reports a chronically busy cell as persistent, and a cell merely busy once not at all', async () => {
    const { classify, windowOffsets, ALL } = await import('../../src/spatial/hotspots.js');
    const { spatialConfig } = await import('../../src/spatial/config.js');
    const cfg = spatialConfig(testConfig()).hotspots;
    // cell 0: chronic (hot by Gi*) in every window, never above its own level; cell 1: chronic only now;
    // cell 2: above its own level now and chronic before; cell 3: hot now, never before
    const mk = (chronic: number[], hot: number[]) => ({
      z: new Map([[ALL, Float64Array.from([5, 5, 5, 5])]]),
      p: new Map([[ALL, new Float64Array(4)]]),
      q: new Map([[ALL, new Float64Array(4)]]),
      chronic: new Map([[ALL, Uint8Array.from(chronic)]]),
      hot: new Map([[ALL, Uint8Array.from(hot)]]),
      tests: 4,
    });
    const results = new Map(
      windowOffsets(cfg).all.map((o) => [o, o === 0 ? mk([1, 1, 1, 1], [0, 0, 1, 1]) : mk([1, 0, 1, 0], [0, 0, 0, 0])]),
    );
    const found = classify(new Map([[ALL, Float64Array.from([50, 50, 50, 50])]]), results, cfg);
    const kind = (i: number) => found.filter((h) => h.cell === i).map((h) => h.kind);
    expect(kind(0)).toEqual(['persistent']);
    expect(kind(1)).toEqual([]);
    expect(kind(2)).toEqual(['persistent']);
    expect(kind(3)).toEqual(['emerging']);
  });
});

describe('hot-cell rules', () => {
  const centre = latLngToCell(39.9, 116.4, 8);
  const cells = gridDisk(centre, 8);
  const nb = h3Neighbours(cells);
  const c = cells.indexOf(centre);
  const ring = gridDisk(centre, 1)
    .filter((x) => x !== centre)
    .map((x) => cells.indexOf(x));

  it('flags the cell carrying a cluster, not the ordinary cells beside it (the Gi* halo)', async () => {
    const { testWindow, ALL } = await import('../../src/spatial/hotspots.js');
    const x = new Float64Array(cells.length).fill(6);
    x[c] = 80;
    const res = testWindow(new Map([[ALL, x]]), nb, { q: 0.05, minCellCount: 5 });
    const z = res.z.get(ALL)!;
    // the ring's Gi* is significant too: only the halo rule keeps it out
    for (const i of ring) expect(res.q.get(ALL)![i]).toBeLessThan(0.05);
    expect(res.hot.get(ALL)![c]).toBe(1);
    for (const i of ring) expect(res.hot.get(ALL)![i]).toBe(0);
    // with a flat background the ring has exactly the centre's z: Gi* cannot tell them apart
    expect(z[ring[0]]).toBeCloseTo(z[c], 10);
  });

  it('in a category layer, does not flag a cell that is merely busy in general', async () => {
    const { testWindow, ALL } = await import('../../src/spatial/hotspots.js');
    // one busy cell holds 20% of all orders; category A follows that share, category B is concentrated there
    const exposure = new Float64Array(cells.length).fill(0.8 / (cells.length - 1));
    exposure[c] = 0.2;
    const a = new Float64Array(cells.length).fill(0.3);
    a[c] = 20;
    const b = new Float64Array(cells.length).fill(0.3);
    b[c] = 60;
    const res = testWindow(
      new Map([
        ['A', a],
        ['B', b],
        [ALL, a.map((v, i) => v + b[i])],
      ]),
      nb,
      { q: 0.05, minCellCount: 5 },
      exposure,
    );
    expect(res.q.get('A')![c]).toBeLessThan(0.05); // Gi* alone would flag it
    expect(res.hot.get('A')![c]).toBe(0);
    expect(res.hot.get('B')![c]).toBe(1);
    // the all-categories layer holds B's excess at c, so c is hot there too
    expect(res.hot.get(ALL)![c]).toBe(1);
  });

  it('in the all-categories layer, a cell busy only at its usual level is chronic, not hot', async () => {
    const { testWindow, ALL } = await import('../../src/spatial/hotspots.js');
    const exposure = new Float64Array(cells.length).fill(0.8 / (cells.length - 1));
    exposure[c] = 0.2;
    // every cell at exactly its usual share: c holds 20% of all orders, as it always does
    const total = 400;
    const x = exposure.map((e) => e * total);
    const res = testWindow(new Map([[ALL, x]]), nb, { q: 0.05, minCellCount: 5 }, exposure);
    expect(res.q.get(ALL)![c]).toBeLessThan(0.05); // raw Gi* flags it
    expect(res.chronic.get(ALL)![c]).toBe(1);
    expect(res.hot.get(ALL)![c]).toBe(0);
    // the same cell with twice its usual level is hot
    const y = Float64Array.from(x);
    y[c] = 2 * x[c];
    const res2 = testWindow(new Map([[ALL, y]]), nb, { q: 0.05, minCellCount: 5 }, exposure);
    expect(res2.hot.get(ALL)![c]).toBe(1);
  });
});
