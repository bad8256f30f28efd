import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as XLSX from '@e965/xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers.js';
import { HEADER, ingest, orderCount, SALT, writeText } from './util.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
async function store() {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  return t;
}

const ZH_HEADER =
  '工单编号,受理时间,一级分类,二级分类,三级分类,诉求内容,所属区县,所属街道,经度,纬度,来电号码,办结时间,满意度,是否解决,转派次数,是否重办';
const ZH_ROWS = [
  'G001,2024/1/2 8:03,城乡建设,供暖,暖气不热,暖气不热已经三天了,和平区,南湖街道,116.40,39.90,13812345678,2024/1/3 9:00,满意,是,2,否',
  'G002,2024年1月3日 10时15分,交通管理,停车,,小区门口乱停车,河西区,,,,010-87654321,,,,0,',
];

describe('formats and encodings', () => {
  it.each(['utf8', 'utf8bom', 'gbk'] as const)(
    'CSV in %s with Chinese headers uses the 12345-zh preset',
    async (enc) => {
      const t = await store();
      const f = writeText(t.dir, `zh-${enc}.csv`, [ZH_HEADER, ...ZH_ROWS].join('\r\n') + '\r\n', enc);
      const s = await ingest(t.store, [f]);
      expect(s).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
      expect(s.files[0].mapping).toBe('12345-zh');
      expect(s.files[0].encoding).toBe(enc === 'gbk' ? 'gb18030' : enc === 'utf8bom' ? 'utf-8-bom' : 'utf-8');
      const rows = await t.store.all<Record<string, unknown>>(
        'SELECT order_id, created_at, category, cat2, content, district, street, lon, lat, closed_at, satisfaction, resolved, dispatch_count, reopened, caller_hash FROM orders ORDER BY order_id',
      );
      expect(rows[0]).toMatchObject({
        order_id: 'G001',
        created_at: '2024-01-02 08:03:00',
        category: '城乡建设/供暖/暖气不热',
        cat2: '城乡建设/供暖',
        content: '暖气不热已经三天了',
        district: '和平区',
        street: '南湖街道',
        lon: 116.4,
        lat: 39.9,
        closed_at: '2024-01-03 09:00:00',
        satisfaction: '满意',
        resolved: true,
        dispatch_count: 2,
        reopened: false,
      });
      expect(rows[1]).toMatchObject({
        order_id: 'G002',
        created_at: '2024-01-03 10:15:00',
        category: '交通管理/停车',
        street: null,
        lon: null,
      });
      expect(String(rows[0].caller_hash)).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('CSV with canonical headers needs no mapping; semicolon and tab delimiters are detected', async () => {
    const t = await store();
    const semi = writeText(
      t.dir,
      'semi.csv',
      `order_id;created_at;category;content\nS1;2024-03-01 12:00:00;城乡建设;内容\n`,
    );
    const tab = writeText(
      t.dir,
      'tab.tsv',
      `order_id\tcreated_at\tcategory\tcontent\nT1\t2024-03-01T12:00:00+08:00\t城乡建设\t内容,带逗号\n`,
    );
    const s = await ingest(t.store, [semi, tab]);
    expect(s).toMatchObject({ read: 2, loaded: 2 });
    expect(await t.store.value("SELECT content FROM orders WHERE order_id = 'T1'")).toBe('内容,带逗号');
  });

  it('XLSX: Chinese headers, date-formatted cells and plain Excel serials', async () => {
    const t = await store();
    const ws = XLSX.utils.aoa_to_sheet([
      ['工单编号', '受理时间', '诉求分类', '诉求内容', '办结时间'],
      ['X1', { t: 'n', v: 45293.5, z: 'yyyy-mm-dd hh:mm:ss' }, '城乡建设/供暖', '暖气不热', 45294.25],
      ['X2', '2024-01-04 09:30:00', '交通管理', '乱停车', null],
      [null, null, null, null, null],
      ['X3', '', '交通管理', '缺时间', null],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '工单');
    const p = join(t.dir, 'orders.xlsx');
    writeFileSync(p, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const s = await ingest(t.store, [p]);
    expect(s).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    const rows = await t.store.all<{ order_id: string; created_at: string; closed_at: string | null }>(
      'SELECT order_id, created_at, closed_at FROM orders ORDER BY order_id',
    );
    expect(rows).toEqual([
      { order_id: 'X1', created_at: '2024-01-02 12:00:00', closed_at: '2024-01-03 06:00:00' },
      { order_id: 'X2', created_at: '2024-01-04 09:30:00', closed_at: null },
    ]);
    expect(await t.store.value('SELECT line FROM quarantine')).toBe(5); // Excel row number
  });

  it('Parquet, JSON Lines and Arrow IPC', async () => {
    const t = await store();
    const pq = join(t.dir, 'o.parquet');
    await t.store.exec(
      `COPY (SELECT 'P' || i AS order_id, TIMESTAMP '2024-05-01 08:00:00' + to_hours(i) AS created_at, '城乡建设/排水' AS category,
              '积水' || i AS content, 117.1 + i / 1000 AS lon, 39.1 AS lat, '1380000000' || i AS caller_phone FROM range(5) t(i)) TO '${pq}' (FORMAT parquet)`,
    );
    const jl = writeText(
      t.dir,
      'o.jsonl',
      [
        JSON.stringify({
          order_id: 'J1',
          created_at: '2024-05-02 08:00:00',
          category: '教育',
          content: '学位',
          resolved: true,
          dispatch_count: 3,
        }),
        '',
        '{"order_id": "J2", broken',
        JSON.stringify({ order_id: 'J3', created_at: '2024-05-02T00:00:00Z', category: '教育', content: '入学' }),
      ].join('\n') + '\n',
    );
    const arrowTable = tableFromArrays({
      order_id: ['R1', 'R2'],
      created_at: [new Date(Date.UTC(2024, 4, 3, 8, 3, 4)), new Date(Date.UTC(2024, 4, 3, 9, 0, 0))],
      category: ['交通管理/停车', '交通管理'],
      content: ['乱停车', '拥堵'],
      lon: Float64Array.from([116.5, 116.6]),
      lat: Float64Array.from([39.8, 39.7]),
    });
    const ar = join(t.dir, 'o.arrow');
    writeFileSync(ar, tableToIPC(arrowTable, 'file'));
    const s = await ingest(t.store, [pq, jl, ar]);
    expect(s.files.map((f) => [f.format, f.read, f.loaded, f.quarantined])).toEqual([
      ['parquet', 5, 5, 0],
      ['jsonl', 3, 2, 1],
      ['arrow', 2, 2, 0],
    ]);
    expect(await t.store.value("SELECT created_at FROM orders WHERE order_id = 'P3'")).toBe('2024-05-01 11:00:00');
    expect(await t.store.value("SELECT created_at FROM orders WHERE order_id = 'J3'")).toBe('2024-05-02 08:00:00'); // Z → +08:00
    expect(await t.store.value("SELECT dispatch_count FROM orders WHERE order_id = 'J1'")).toBe(3);
    expect(await t.store.value("SELECT line FROM quarantine WHERE file LIKE '%.jsonl'")).toBe(3);
    expect(await t.store.value("SELECT created_at FROM orders WHERE order_id = 'R1'")).toBe('2024-05-03 08:03:04');
    expect(await t.store.value("SELECT lon FROM orders WHERE order_id = 'R2'")).toBe(116.6);
  });

  it('Parquet coordinates kept as numbers are judged as their text would be', async () => {
    // typed_rows.sql casts a DOUBLE or DECIMAL column as it is and reads text through trim; both must give the same
    // orders and the same quarantine (the value printed in a reason may differ: NaN / nan)
    const coords: Array<[string, string, string]> = [
      ['C1', '116.4', '39.9'],
      ['C2', '', ''],
      ['C3', '0', '0'], // "no coordinates"
      ['C4', '200.5', '39.9'], // out of range
      ['C5', '116.4', ''], // only one given
      ['C6', 'NaN', '39.9'],
      ['C7', '-73.9857', '40.7484'],
      ['C8', '116.39999999', '-90'],
    ];
    const t = await store();
    const csv = writeText(
      t.dir,
      'c.csv',
      `${HEADER},lon,lat\n${coords.map(([id, lon, lat]) => `${id},2024-05-01 08:00:00,城乡建设,积水,${lon},${lat}`).join('\n')}\n`,
    );
    const values = coords
      .map(([id, lon, lat]) => `('${id}', ${lon === '' ? 'NULL' : `'${lon}'`}, ${lat === '' ? 'NULL' : `'${lat}'`})`)
      .join(', ');
    const pq = (type: string) => join(t.dir, `c-${type.replace(/\W/g, '')}.parquet`);
    for (const type of ['DOUBLE', 'DECIMAL(12,8)']) {
      await t.store.exec(
        `COPY (SELECT id AS order_id, '2024-05-01 08:00:00' AS created_at, '城乡建设' AS category, '积水' AS content,
                      CASE WHEN lon = 'NaN' AND '${type}' <> 'DOUBLE' THEN NULL ELSE lon::${type} END AS lon, lat::${type} AS lat
               FROM (VALUES ${values}) v(id, lon, lat)) TO '${pq(type)}' (FORMAT parquet)`,
      );
    }
    const judged = async (file: string) => {
      const u = await store();
      await ingest(u.store, [file]);
      return {
        orders: await u.store.all('SELECT order_id, lon, lat FROM orders ORDER BY order_id'),
        quarantine: (
          await u.store.all<{ line: number; field: string; reason: string }>(
            'SELECT line, field, reason FROM quarantine ORDER BY line',
          )
        ).map((q) => [q.line, q.field, q.reason.split(/[:：]/)[0]]),
      };
    };
    const fromText = await judged(csv);
    expect(fromText.orders.map((o) => (o as { order_id: string }).order_id)).toEqual(['C1', 'C2', 'C3', 'C7', 'C8']);
    expect(fromText.quarantine.map((q) => q[2])).toEqual([
      '经度 lon 超出 [-180, 180]',
      '经纬度只有一个（lon/lat 须同时给出）',
      '经度 lon 超出 [-180, 180]',
    ]);
    expect(await judged(pq('DOUBLE'))).toEqual({
      ...fromText,
      quarantine: fromText.quarantine.map((q) => [Number(q[0]) - 1, q[1], q[2]]),
    });
    // a DECIMAL cannot hold NaN: that row is read without a lon, so it is the one-of-two case instead
    const dec = await judged(pq('DECIMAL(12,8)'));
    expect(dec.orders).toEqual(fromText.orders);
    expect(dec.quarantine.map((q) => q[2])).toEqual([
      '经度 lon 超出 [-180, 180]',
      '经纬度只有一个（lon/lat 须同时给出）',
      '经纬度只有一个（lon/lat 须同时给出）',
    ]);
  });

  it('a Hive-partitioned Parquet export (year=/month=) restores to the same orders', async () => {
    const a = await store();
    const rows = Array.from(
      { length: 60 },
      (_, i) =>
        `H${i},2024-${String(1 + (i % 4)).padStart(2, '0')}-1${i % 10} 08:00,城乡建设/供暖/暖气不热,暖气不热${i} 电话1381234${String(1000 + i)},和平区,${116 + i / 100},39.9,1390000${String(1000 + i)}`,
    );
    await ingest(a.store, [
      writeText(a.dir, 'src.csv', `${HEADER},district,lon,lat,caller_phone\n${rows.join('\n')}\n`),
    ]);
    const out = join(a.dir, 'export');
    mkdirSync(out);
    await a.store
      .exec(`COPY (SELECT *, year(created_at) AS year, lpad(month(created_at)::VARCHAR, 2, '0') AS month FROM orders)
      TO '${out}' (FORMAT parquet, PARTITION_BY (year, month))`);
    const b = await store();
    const s = await ingest(b.store, [out]);
    expect(s.files.length).toBe(4);
    expect(s).toMatchObject({ read: 60, loaded: 60, quarantined: 0 });
    await b.store.exec(`ATTACH '${a.dbPath}' AS src (READ_ONLY)`);
    const canon = 'order_id, created_at, category, cat1, cat2, content, district, lon, lat, caller_hash, row_hash';
    expect(
      await b.store.value(`SELECT count(*) FROM (SELECT ${canon} FROM src.orders EXCEPT SELECT ${canon} FROM orders)`),
    ).toBe(0);
    expect(await orderCount(b.store)).toBe(60);
  });

  it('an unknown extension, a missing file or an empty folder is a user error and changes nothing', async () => {
    const t = await store();
    const ok = writeText(t.dir, 'ok.csv', `${HEADER}\nU1,2024-01-02 08:00,城乡建设,好\n`);
    const odd = writeText(t.dir, 'orders.dat', 'x');
    await expect(ingest(t.store, [ok, odd])).rejects.toThrow(/不支持的文件格式 '.dat'/);
    await expect(ingest(t.store, [ok, join(t.dir, 'nope.csv')])).rejects.toThrow(/找不到文件/);
    mkdirSync(join(t.dir, 'empty'));
    await expect(ingest(t.store, [join(t.dir, 'empty')])).rejects.toThrow(/文件夹中没有可读入的文件/);
    expect(await orderCount(t.store)).toBe(0);
    expect(SALT).toBeTruthy();
    void Store;
  });
});
