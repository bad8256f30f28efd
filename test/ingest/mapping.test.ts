import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../../src/store/sql.js';
import { autoMapping, loadMapping, resolveMapping } from '../../src/ingest/mapping.js';
import { tempStore } from '../helpers.js';
import { ingest, orderCount, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

// Reference pairs from the eviltransform test-suite (wgsLat, wgsLng, gcjLat, gcjLng).
const GCJ_REFERENCE = [
  [31.1774276, 121.5272106, 31.17530398364597, 121.531541859215], // Shanghai
  [22.543847, 113.912316, 22.540796131694766, 113.9171764808363], // Shenzhen
  [39.911954, 116.377817, 39.91334545536069, 116.38404722455657], // Beijing
];

function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = 6371008.8;
  const dLat = ((lat2 - lat1) * Math.PI) / 180;
  const dLon = ((lon2 - lon1) * Math.PI) / 180;
  const a =
    Math.sin(dLat / 2) ** 2 +
    Math.cos((lat1 * Math.PI) / 180) * Math.cos((lat2 * Math.PI) / 180) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}

// Forward WGS-84 → GCJ-02 → BD-09 (published closed forms), to check the SQL inverse independently.
function wgsToGcj(lon: number, lat: number): [number, number] {
  const a = 6378245.0;
  const ee = 0.006693421622965943;
  const x = lon - 105;
  const y = lat - 35;
  const PI = Math.PI;
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat +=
    ((20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2) / 3 +
    ((20 * Math.sin(y * PI) + 40 * Math.sin((y / 3) * PI)) * 2) / 3;
  dLat += ((160 * Math.sin((y / 12) * PI) + 320 * Math.sin((y * PI) / 30)) * 2) / 3;
  let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon +=
    ((20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2) / 3 +
    ((20 * Math.sin(x * PI) + 40 * Math.sin((x / 3) * PI)) * 2) / 3;
  dLon += ((150 * Math.sin((x / 12) * PI) + 300 * Math.sin((x / 30) * PI)) * 2) / 3;
  const rad = (lat / 180) * PI;
  const magic = 1 - ee * Math.sin(rad) ** 2;
  const sq = Math.sqrt(magic);
  return [
    lon + (dLon * 180) / ((a / sq) * Math.cos(rad) * PI),
    lat + (dLat * 180) / (((a * (1 - ee)) / (magic * sq)) * PI),
  ];
}
function gcjToBd(lon: number, lat: number): [number, number] {
  const xPi = (Math.PI * 3000) / 180;
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * xPi);
  const th = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * xPi);
  return [z * Math.cos(th) + 0.0065, z * Math.sin(th) + 0.006];
}

describe('mapping', () => {
  it('a mapping file maps headers, joins category levels, reads custom time formats and declares GCJ-02', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = join(t.dir, 'city.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: { 单号: 'order_id', 时间: 'created_at', 描述: 'content', X: 'lon', Y: 'lat' },
        category_levels: ['大类', '小类'],
        phone_column: '电话',
        coords: 'gcj02',
        timestamp_formats: ['%d.%m.%Y %H:%M'],
      }),
    );
    const rows = GCJ_REFERENCE.map(
      ([, , gLat, gLon], i) => `M${i},0${i + 1}.02.2024 08:30,城乡建设,供暖,暖气不热,${gLon},${gLat},1380000000${i}`,
    );
    const f = writeText(t.dir, 'city.csv', `单号,时间,大类,小类,描述,X,Y,电话\n${rows.join('\n')}\n`);
    const s = await ingest(t.store, [f], { mapping });
    expect(s).toMatchObject({ read: 3, loaded: 3, quarantined: 0 });
    const got = await t.store.all<{ order_id: string; created_at: string; category: string; lon: number; lat: number }>(
      'SELECT order_id, created_at, category, lon, lat FROM orders ORDER BY order_id',
    );
    got.forEach((r, i) => {
      const [wLat, wLon] = GCJ_REFERENCE[i];
      expect(metres(r.lon, r.lat, wLon, wLat)).toBeLessThan(5);
      expect(r.category).toBe('城乡建设/供暖');
      expect(r.created_at).toBe(`2024-02-0${i + 1} 08:30:00`);
    });
  });

  it('warns of an empty level inside a category path, in one column or across level columns, and counts only those', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const one = writeText(
      t.dir,
      'paths.csv',
      'order_id,created_at,category,content\n' +
        [
          'P1,2025-03-01 08:00,城市管理//内涝积水,积水',
          'P2,2025-03-01 09:00,城市管理 ＞ ＞ 内涝积水,积水',
          'P3,2025-03-01 10:00,城市管理/排水防涝/内涝积水,积水',
          'P4,2025-03-01 11:00,/城市管理/排水防涝/,积水',
        ].join('\n') +
        '\n',
    );
    const s1 = await ingest(t.store, [one]);
    expect(s1).toMatchObject({ read: 4, loaded: 4 });
    expect(s1.files[0].warnings?.join(' ')).toMatch(/^2 行的分类路径中间有空层级/);
    expect(await t.store.value<string>("SELECT category FROM orders WHERE order_id = 'P1'")).toBe('城市管理/内涝积水');
    expect(await t.store.value<string>("SELECT category FROM orders WHERE order_id = 'P4'")).toBe('城市管理/排水防涝');

    const mapping = join(t.dir, 'levels.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: { 单号: 'order_id', 时间: 'created_at', 描述: 'content' },
        category_levels: ['一级', '二级', '三级'],
      }),
    );
    const levels = writeText(
      t.dir,
      'levels.csv',
      '单号,时间,一级,二级,三级,描述\nL1,2025-03-02 08:00,城市管理,,内涝积水,积水\nL2,2025-03-02 09:00,城市管理,排水防涝,,积水\nL3,2025-03-02 10:00,,,,积水\n',
    );
    const s2 = await ingest(t.store, [levels], { mapping });
    expect(s2).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect(s2.files[0].warnings?.join(' ')).toMatch(/^1 行的分类路径中间有空层级/);
    expect(await t.store.value<string>("SELECT category FROM orders WHERE order_id = 'L2'")).toBe('城市管理/排水防涝');
    expect(await t.store.value<string>("SELECT reason FROM quarantine WHERE raw LIKE '%L3%'")).toBe(
      '一级/二级/三级（诉求分类 category）为空',
    );
  });

  it('BD-09 converts back to WGS-84 within 5 m across the country', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    await t.store.exec(sql('ingest/macros.sql'));
    const points: Array<[number, number]> = [
      [116.397, 39.909],
      [121.473, 31.23],
      [113.264, 23.129],
      [104.066, 30.572],
      [126.642, 45.757],
      [87.617, 43.825],
    ];
    const mapping = join(t.dir, 'bd.json');
    writeFileSync(mapping, JSON.stringify({ coords: 'bd09', require_all: false }));
    const rows = points.map(([lon, lat], i) => {
      const [bl, bt] = gcjToBd(...wgsToGcj(lon, lat));
      return `B${i},2024-01-01 00:00,城乡建设,内容,${bl},${bt}`;
    });
    await ingest(
      t.store,
      [writeText(t.dir, 'bd.csv', `order_id,created_at,category,content,lon,lat\n${rows.join('\n')}\n`)],
      { mapping },
    );
    const got = await t.store.all<{ lon: number; lat: number }>('SELECT lon, lat FROM orders ORDER BY order_id');
    got.forEach((r, i) => expect(metres(r.lon, r.lat, points[i][0], points[i][1])).toBeLessThan(5));
  });

  it('a mapping naming a column the file lacks fails with one line and loads nothing', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = join(t.dir, 'm.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: {
          工单编号: 'order_id',
          受理时间: 'created_at',
          诉求分类: 'category',
          诉求内容: 'content',
          办结日期: 'closed_at',
        },
      }),
    );
    const f = writeText(t.dir, 'x.csv', '工单编号,受理时间,诉求分类,诉求内容\nA,2024-01-01,城乡建设,x\n');
    await expect(ingest(t.store, [f], { mapping })).rejects.toThrow(/中的列在文件中不存在：办结日期/);
    // with several files, the header check runs before anything loads: the good first file is not loaded either
    const good = writeText(
      t.dir,
      'good.csv',
      '工单编号,受理时间,诉求分类,诉求内容,办结日期\nG,2024-01-01,城乡建设,x,\n',
    );
    await expect(ingest(t.store, [good, f], { mapping })).rejects.toThrow(/x\.csv：字段映射 .*不存在：办结日期/);
    const noCategory = writeText(t.dir, 'nocat.csv', '工单编号,受理时间,诉求内容\nN,2024-01-01,x\n');
    await expect(
      ingest(t.store, [
        writeText(t.dir, 'fine.csv', '工单编号,受理时间,诉求分类,诉求内容\nF,2024-01-01,城乡建设,x\n'),
        noCategory,
      ]),
    ).rejects.toThrow(/nocat\.csv：找不到必填字段 category 对应的列/);
    expect(await orderCount(t.store)).toBe(0);
    writeFileSync(mapping, JSON.stringify({ columns: { 工单编号: 'order_idx' } }));
    await expect(ingest(t.store, [f], { mapping })).rejects.toThrow(/字段映射 .*有误.*columns/);
    writeFileSync(mapping, '{ not json');
    await expect(ingest(t.store, [f], { mapping })).rejects.toThrow(/不是有效的 JSON/);
    expect(await orderCount(t.store)).toBe(0);
  });

  it('a required field with no column at all is a user error naming what was looked for', () => {
    expect(() => resolveMapping('f.csv', ['工单编号', '受理时间', '诉求内容'], autoMapping(['工单编号']))).toThrow(
      /找不到必填字段 category 对应的列/,
    );
    const preset = loadMapping('12345-zh');
    const r = resolveMapping('f.csv', ['工单号', '来电时间', '问题分类', '问题描述', '其他'], preset);
    expect(r.sources.order_id).toEqual(['工单号']);
    expect(r.ignored).toEqual(['其他']);
  });
});
