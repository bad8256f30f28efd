import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';
import { buildXlsx } from './xlsx-maker.js';

/**
 * Forms of Chinese office exports (invented rows in their layout): a 12-hour clock written 上午/下午, category paths
 * joined by a full-width bar or em dashes, a title row above the header and a 合计 row below the orders, one 坐标
 * column holding both coordinates.
 */
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function store() {
  const t = await tempStore();
  cleanup = t.cleanup;
  return t;
}

const ZH_HEADER = '工单编号,受理时间,诉求分类,诉求内容';

describe('12-hour clock', () => {
  it('reads 上午/下午 and AM/PM before or after the time, 上午12 as 00 and 下午12 as 12', async () => {
    const t = await store();
    const rows = [
      'B1,2022/12/5 下午 02:30:00,城建,路灯坏了',
      'B2,2022/12/5 上午12:05:00,城建,路灯坏了',
      'B3,2022-12-05 下午2:30,城建,路灯坏了',
      'B4,2022/12/5 PM 2:30:00,城建,路灯坏了',
      'B5,2022/12/5 下午12:10:00,城建,路灯坏了',
      'B6,2022年12月5日 上午9时05分,城建,路灯坏了',
      'B7,2022/12/5 2:30:00 pm,城建,路灯坏了',
      // no such hour on a 12-hour clock: refused, not guessed
      'B8,2022/12/5 下午 13:30:00,城建,路灯坏了',
    ];
    const f = writeText(t.dir, 'pm.csv', [ZH_HEADER, ...rows].join('\n') + '\n');
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 8, loaded: 7, quarantined: 1 });
    const got = await t.store.all<{ order_id: string; at: string }>(
      'SELECT order_id, created_at::VARCHAR AS at FROM orders ORDER BY order_id',
    );
    expect(got.map((r) => [r.order_id, r.at])).toEqual([
      ['B1', '2022-12-05 14:30:00'],
      ['B2', '2022-12-05 00:05:00'],
      ['B3', '2022-12-05 14:30:00'],
      ['B4', '2022-12-05 14:30:00'],
      ['B5', '2022-12-05 12:10:00'],
      ['B6', '2022-12-05 09:05:00'],
      ['B7', '2022-12-05 14:30:00'],
    ]);
    const q = await t.store.one<{ line: number; reason: string }>('SELECT line, reason FROM quarantine');
    expect(q).toMatchObject({ line: 9 });
    expect(q!.reason).toContain('无法识别：2022/12/5 下午 13:30:00');
  });

  it("reads 下午 with a mapping's own month-first %p format", async () => {
    const t = await store();
    const f = writeText(t.dir, 'us.csv', `${ZH_HEADER}\nC1,12/5/2022 下午 2:30,城建,路灯坏了\n`);
    const m = writeText(
      t.dir,
      'm.json',
      JSON.stringify({
        columns: { 工单编号: 'order_id', 受理时间: 'created_at', 诉求分类: 'category', 诉求内容: 'content' },
        timestamp_formats: ['%m/%d/%Y %I:%M %p'],
      }),
    );
    const s = await ingest(t.store, [f], { mapping: m });
    expect(s).toMatchObject({ read: 1, loaded: 1 });
    expect(await t.store.value('SELECT created_at::VARCHAR FROM orders')).toBe('2022-12-05 14:30:00');
  });
});

describe('category separators of Chinese exports', () => {
  it('splits at the full-width bar and at em dashes, single or doubled (preset 12345-zh)', async () => {
    const t = await store();
    const rows = [
      'D1,2022-12-05 10:00,城乡建设——供暖——暖气不热,暖气不热',
      'D2,2022-12-05 10:00,城乡建设｜供暖｜暖气不热,暖气不热',
      'D3,2022-12-05 10:00,城乡建设—供暖—暖气不热,暖气不热',
      'D4,2022-12-05 10:00,城乡建设 —— 供暖,暖气不热',
      // a level that names nothing ends the path, as before
      'D5,2022-12-05 10:00,城乡建设——无,暖气不热',
    ];
    const f = writeText(t.dir, 'c.csv', [ZH_HEADER, ...rows].join('\n') + '\n');
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 5, loaded: 5 });
    const got = await t.store.all<{ order_id: string; category: string; cat1: string }>(
      'SELECT order_id, category, cat1 FROM orders ORDER BY order_id',
    );
    expect(got.map((r) => [r.order_id, r.category, r.cat1])).toEqual([
      ['D1', '城乡建设/供暖/暖气不热', '城乡建设'],
      ['D2', '城乡建设/供暖/暖气不热', '城乡建设'],
      ['D3', '城乡建设/供暖/暖气不热', '城乡建设'],
      ['D4', '城乡建设/供暖', '城乡建设'],
      ['D5', '城乡建设', '城乡建设'],
    ]);
  });

  it("splits at the full-width bar in a city's own mapping that names no separators, and keeps its dashes", async () => {
    const t = await store();
    const f = writeText(
      t.dir,
      'own.csv',
      `${ZH_HEADER}\nE1,2022-12-05 10:00,城乡建设｜供暖,暖气\nE2,2022-12-05 10:00,一环—二环路段,堵车\n`,
    );
    const m = writeText(
      t.dir,
      'own.json',
      JSON.stringify({
        columns: { 工单编号: 'order_id', 受理时间: 'created_at', 诉求分类: 'category', 诉求内容: 'content' },
      }),
    );
    await ingest(t.store, [f], { mapping: m });
    const got = await t.store.all<{ category: string }>('SELECT category FROM orders ORDER BY order_id');
    expect(got.map((r) => r.category)).toEqual(['城乡建设/供暖', '一环—二环路段']);
  });
});

describe('a title row above the header, a 合计 row below the orders', () => {
  type Q = { line: number; field: string; reason: string; reason_code: string };
  const loaded = (t: Awaited<ReturnType<typeof store>>) =>
    t.store.all<{ order_id: string; source_line: number }>(
      'SELECT order_id, source_line::INT AS source_line FROM orders ORDER BY order_id',
    );
  const quarantined = (t: Awaited<ReturnType<typeof store>>) =>
    t.store.all<Q>('SELECT line::INT AS line, field, reason, reason_code FROM quarantine ORDER BY line');

  it('CSV: finds the header, skips the title with a warning naming it, quarantines the 合计 row with its line', async () => {
    const t = await store();
    const f = writeText(
      t.dir,
      'title.csv',
      'XX市12345热线工单明细表（2022年12月）,,,\n' +
        `${ZH_HEADER}\nF1,2022-12-05 10:00,城建,路灯坏了\nF2,2022-12-06 10:00,城建,井盖丢了\n合计,,,2\n`,
    );
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect(s.files[0].warnings).toContain(
      '表头在第 2 行，其上 1 行不是表头，已跳过：第 1 行「XX市12345热线工单明细表（2022年12月）」',
    );
    expect(await loaded(t)).toEqual([
      { order_id: 'F1', source_line: 3 },
      { order_id: 'F2', source_line: 4 },
    ]);
    expect(await quarantined(t)).toEqual([
      { line: 5, field: 'order_id', reason: '合计行，不是工单：合计', reason_code: 'total_row' },
    ]);
  });

  it('CSV: a title without delimiters, a blank line, a tab-separated header; lines right past a multi-line field', async () => {
    const t = await store();
    const f = writeText(
      t.dir,
      'tab.txt.csv',
      '工单明细表\n\n' +
        ZH_HEADER.replace(/,/g, '\t') +
        '\nG1\t2022-12-05 10:00\t城建\t"路灯\n坏了"\nG2\t2022-12-06 10:00\t\t井盖丢了\n',
    );
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 2, loaded: 1, quarantined: 1 });
    expect(s.files[0].warnings).toContain(
      '表头在第 3 行，其上 2 行不是表头，已跳过：第 1 行「工单明细表」、第 2 行（空行）',
    );
    expect(await loaded(t)).toEqual([{ order_id: 'G1', source_line: 4 }]);
    expect((await quarantined(t)).map((q) => [q.line, q.reason_code])).toEqual([[6, 'missing_category']]);
  });

  it('CSV in GBK: the title row is found past the transcoding, lines unchanged', async () => {
    const t = await store();
    const text = `工单明细表（2022年12月）,,,\n${ZH_HEADER}\nJ1,2022-12-05 10:00,城建,路灯坏了\nJ2,2022-12-05 10:00,,路灯坏了\n`;
    const s = await ingest(t.store, [writeText(t.dir, 'gbk.csv', text, 'gbk')]);
    expect(s).toMatchObject({ read: 2, loaded: 1, quarantined: 1, files: [{ encoding: 'gb18030' }] });
    expect(s.files[0].warnings).toContain(
      '表头在第 2 行，其上 1 行不是表头，已跳过：第 1 行「工单明细表（2022年12月）」',
    );
    expect(await loaded(t)).toEqual([{ order_id: 'J1', source_line: 3 }]);
    expect((await quarantined(t)).map((q) => [q.line, q.reason_code])).toEqual([[4, 'missing_category']]);
  });

  it('a file whose first rows name no header at all is still refused, naming what the first row lacks', async () => {
    const t = await store();
    const f = writeText(t.dir, 'none.csv', '标题,,,\n甲,乙,丙,丁\nF1,2022-12-05 10:00,城建,路灯坏了\n');
    await expect(ingest(t.store, [f])).rejects.toThrow(/找不到必填字段 order_id 对应的列（.*文件的列：标题/);
  });

  it('XLSX: the same layout, the header found below the title rows, lines as Excel rows', async () => {
    const t = await store();
    const f = join(t.dir, 'title.xlsx');
    writeFileSync(
      f,
      buildXlsx([
        ['XX市12345热线工单明细表（2022年12月）'],
        ['制表日期：2023-01-03'],
        ZH_HEADER.split(','),
        ['X1', '2022-12-05 10:00', '城建', '路灯坏了'],
        ['合计', '', '', '1'],
      ]),
    );
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 2, loaded: 1, quarantined: 1 });
    expect(s.files[0].warnings).toContain(
      '表头在第 3 行，其上 2 行不是表头，已跳过：第 1 行「XX市12345热线工单明细表（2022年12月）」、第 2 行「制表日期：2023-01-03」',
    );
    expect(await loaded(t)).toEqual([{ order_id: 'X1', source_line: 4 }]);
    expect((await quarantined(t)).map((q) => [q.line, q.reason_code])).toEqual([[5, 'total_row']]);
  });
});

describe('one 坐标 column holding both coordinates', () => {
  const CSV = `${ZH_HEADER},坐标\nH1,2022-12-05 10:00,城建,路灯坏了,"116.397428,39.90923"\nH2,2022-12-05 11:00,城建,井盖丢了,116.40，39.91\nH3,2022-12-05 12:00,城建,井盖丢了,\n`;
  const columns = { 工单编号: 'order_id', 受理时间: 'created_at', 诉求分类: 'category', 诉求内容: 'content' };

  it('without a mapping for it: a warning names the column and the mapping entry that reads it', async () => {
    const t = await store();
    const s = await ingest(t.store, [writeText(t.dir, 'coord.csv', CSV)]);
    expect(s).toMatchObject({ read: 3, loaded: 3 });
    expect(s.files[0].warnings).toContain(
      '以下列每格是两个数（经纬度写在一起），未读入：坐标（如 116.397428,39.90923）；可在字段映射的 columns 中写 "坐标": "lonlat"（经度在前）或 "latlon"（纬度在前）',
    );
  });

  // the file writes the pair in the order the mapping states: either way lon is 116.39…
  it.each(['lonlat', 'latlon'] as const)('"坐标": "%s" reads the two numbers in that order', async (order) => {
    const t = await store();
    const csv =
      order === 'lonlat'
        ? CSV
        : CSV.replace('116.397428,39.90923', '39.90923,116.397428').replace('116.40，39.91', '39.91，116.40');
    const m = writeText(t.dir, 'm.json', JSON.stringify({ columns: { ...columns, 坐标: order } }));
    const s = await ingest(t.store, [writeText(t.dir, 'coord.csv', csv)], { mapping: m });
    expect(s).toMatchObject({ read: 3, loaded: 3, quarantined: 0 });
    expect(s.files[0].warnings ?? []).not.toContainEqual(expect.stringContaining('两个数'));
    const got = await t.store.all<{ order_id: string; lon: number | null; lat: number | null }>(
      'SELECT order_id, lon, lat FROM orders ORDER BY order_id',
    );
    expect(got[0]).toMatchObject({ order_id: 'H1' });
    expect(got[0].lon).toBeCloseTo(116.397428, 6);
    expect(got[0].lat).toBeCloseTo(39.90923, 6);
    expect(got[1].lon).toBeCloseTo(116.4, 6);
    expect(got[1].lat).toBeCloseTo(39.91, 6);
    expect(got[2]).toMatchObject({ lon: null, lat: null });
  });

  it('a 坐标 value that is not two numbers is quarantined naming the column', async () => {
    const t = await store();
    const m = writeText(t.dir, 'm.json', JSON.stringify({ columns: { ...columns, 坐标: 'lonlat' } }));
    const s = await ingest(
      t.store,
      [writeText(t.dir, 'bad.csv', `${ZH_HEADER},坐标\nK1,2022-12-05 10:00,城建,x,天安门\n`)],
      {
        mapping: m,
      },
    );
    expect(s).toMatchObject({ read: 1, loaded: 0, quarantined: 1 });
    expect(await t.store.value('SELECT reason FROM quarantine')).toBe('坐标（经度 lon）不是数字：天安门');
  });
});
