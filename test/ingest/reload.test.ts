import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const CSV = [
  '编号,时间,分类,内容',
  'R1,2025-11-03 08:00:00,城市管理＞排水防涝＞内涝积水,路口积水',
  'R2,2025-11-03 09:00:00,城市管理 ＞ 市容环境,垃圾堆放',
  'R3,not a time,城市管理＞市容环境,时间坏了',
].join('\n');

function mapping(dir: string, name: string, extra: Record<string, unknown>): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    JSON.stringify({ columns: { 编号: 'order_id', 时间: 'created_at', 分类: 'category', 内容: 'content' }, ...extra }),
  );
  return p;
}

describe('a city mapping and a reload', () => {
  it('splits ＞ paths by default, and --reload re-reads a file loaded with a wrong mapping', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = writeText(t.dir, 'orders.csv', CSV);
    // the first load with a mapping that splits on '/' only: the whole path is one level
    const first = await ingest(t.store, [file], {
      mapping: mapping(t.dir, 'slash.json', { category_separators: '/' }),
    });
    expect(first).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect(await t.store.value<string>("SELECT cat1 FROM orders WHERE order_id = 'R1'")).toBe(
      '城市管理＞排水防涝＞内涝积水',
    );
    // the same content again is skipped, whatever the mapping
    const fixed = mapping(t.dir, 'fixed.json', {});
    const skipped = (await ingest(t.store, [file], { mapping: fixed })).files[0];
    expect(skipped.skipped).toBe(true);
    expect(skipped.warnings).toEqual([
      'already loaded with mapping slash.json: skipped; --reload reads it again with fixed.json',
    ]);
    // --reload reads it again: a mapping naming no separators splits on ＞ as the preset does
    const again = await ingest(t.store, [file], { mapping: fixed, reload: true });
    expect(again).toMatchObject({ read: 3, loaded: 0, updated: 2, unchanged: 0, quarantined: 1 });
    const rows = await t.store.all<{ order_id: string; category: string; cat1: string; cat2: string }>(
      'SELECT order_id, category, cat1, cat2 FROM orders ORDER BY order_id',
    );
    expect(rows).toEqual([
      { order_id: 'R1', category: '城市管理/排水防涝/内涝积水', cat1: '城市管理', cat2: '城市管理/排水防涝' },
      { order_id: 'R2', category: '城市管理/市容环境', cat1: '城市管理', cat2: '城市管理/市容环境' },
    ]);
    // the bad row is in quarantine once, not once per load
    expect(await t.store.value<number>('SELECT count(*)::INTEGER FROM quarantine')).toBe(1);
  });
});

describe('warnings', () => {
  it('an order closed before it was created is kept, with a warning', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = writeText(
      t.dir,
      'closed.csv',
      [
        'order_id,created_at,category,content,closed_at',
        'C1,2025-11-03 08:00:00,城市管理/市容环境,垃圾,2025-11-02 08:00:00',
        'C2,2025-11-03 08:00:00,城市管理/市容环境,垃圾,2025-11-04 08:00:00',
      ].join('\n'),
    );
    const s = await ingest(t.store, [file]);
    expect(s).toMatchObject({ loaded: 2, quarantined: 0 });
    expect(s.files[0].warnings).toEqual(['1 行的办结时间早于受理时间（按原样保留；请核对导出系统的时钟）']);
  });

  it('names the columns no mapping reads, so the coordinates and addresses of an export do not vanish unnoticed', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = writeText(
      t.dir,
      'extra.csv',
      [
        '工单编号,受理时间,诉求分类,诉求内容,X坐标,Y坐标,详细地址',
        'E1,2025-11-03 08:00:00,城市管理/市容环境,垃圾,101.77,36.61,南川路1号',
      ].join('\n'),
    );
    const s = await ingest(t.store, [file]);
    expect(s).toMatchObject({ loaded: 1 });
    expect(s.files[0].warnings).toEqual([
      '以下列未读入（字段映射未列出）：X坐标, Y坐标, 详细地址；可在字段映射文件（--mapping）中映射',
    ]);
  });
});
