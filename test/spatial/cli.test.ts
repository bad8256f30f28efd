import { afterEach, describe, expect, it } from 'vitest';
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { addDays } from '../../src/store/dates.js';
import { runCli, tempStore } from '../helpers.js';
import { insertOrders, type TestOrder } from './fixtures.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('weisu hotspots', () => {
  it('prints one CONTRACT document with --json, and a table without', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const area = gridDisk(latLngToCell(39.9, 116.4, 8), 6);
    const hot = area[area.length - 1];
    const orders: TestOrder[] = [];
    let id = 0;
    for (let d = 0; d < 120; d += 3)
      for (const cell of area.filter((_, i) => (i + d) % 5 === 0)) {
        const [lat, lon] = cellToLatLng(cell);
        orders.push({ id: `o${id++}`, created: addDays('2025-02-01', d), category: '城乡建设/道路', lon, lat });
      }
    for (let k = 0; k < 30; k++) {
      const [lat, lon] = cellToLatLng(hot);
      orders.push({
        id: `h${k}`,
        created: addDays('2025-05-10', k % 20),
        category: '城乡建设/道路',
        lon,
        lat,
        district: '甲区',
      });
    }
    orders.push({ id: 'nocoords', created: '2025-05-01', category: '城乡建设/道路' });
    await insertOrders(t.store, orders);
    t.store.close();
    const res = runCli(['--db', t.dbPath, '--json', 'hotspots', '--as-of', '2025-06-01']);
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as {
      as_of: string;
      cells: Record<string, unknown>[];
      data_quality: Record<string, number>;
    };
    expect(doc.as_of).toBe('2025-06-01');
    const cell = doc.cells.find((c) => c.cell === hot && c.category === '城乡建设/道路');
    expect(cell).toBeDefined();
    for (const k of ['cell', 'lon', 'lat', 'category', 'count', 'z', 'kind']) expect(cell).toHaveProperty(k);
    expect(['hot', 'emerging', 'persistent', 'multi_category']).toContain(cell!.kind);
    expect(Number.isInteger(cell!.count)).toBe(true);
    expect(doc.data_quality.coords_missing).toBe(1);
    expect(doc.data_quality.with_cell).toBe(orders.length - 1);
    // the window's own figures: 2025-05-04 … 05-31 holds the 30 hot-cell orders and the background orders of those
    // days; the coordinate-less order (05-01) is before it
    const win = (doc.data_quality as unknown as { window: Record<string, number> }).window;
    const inWindow = orders.filter((o) => o.created >= '2025-05-04' && o.created < '2025-06-01');
    expect(win.orders).toBe(inWindow.length);
    expect(win.coords_missing).toBe(0);
    expect(win.with_cell).toBe(inWindow.length);
    expect(win.orders).toBeLessThan(doc.data_quality.orders);
    const human = runCli(['--db', t.dbPath, 'hotspots', '--as-of', '2025-06-01']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(hot);
    expect(human.stdout).toMatch(/数据质量：.*，1 件无坐标/);
    // no boundaries configured: orders are not "unlocated" (they sit in cells), they are in no district
    expect(human.stdout).toMatch(/未归入任何区划 [\d.]+%（未配置区划边界 spatial\.boundaries/);
    expect(human.stdout).not.toMatch(/已定位|未能定位/);
    const bad = runCli(['--db', t.dbPath, 'hotspots', '--as-of', '2025-13-01']);
    expect(bad.code).toBe(2);
  }, 120_000);
});
