import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestDropStage } from '../../src/ingest/drop-stage.js';
import { runCli, tempStore, testContext } from '../helpers.js';
import { HEADER, ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('title + detail joined into content', () => {
  it('adds 。 only after a title that does not end a sentence, and trims each part before joining', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = writeText(
      t.dir,
      'm.json',
      JSON.stringify({
        columns: { 编号: 'order_id', 时间: 'created_at', 主题: 'content', 详情: 'content', 分类: 'category' },
      }),
    );
    const csv = [
      '编号,时间,主题,详情,分类',
      '1,2020-01-02 08:00:00,要开业了！,"\n\t\t\t\n\t\t详情一　　",城乡建设',
      '2,2020-01-02 08:00:00,电梯停运,"\t详情二",城乡建设',
      '3,2020-01-02 08:00:00,  为什么？  ,详情三,城乡建设',
      '4,2020-01-02 08:00:00,Help!,详情四,城乡建设',
      '5,2020-01-02 08:00:00,还有…,详情五,城乡建设',
    ].join('\n');
    const file = writeText(t.dir, 'a.csv', csv + '\n');
    const s = await ingest(t.store, [file], { mapping });
    expect(s).toMatchObject({ loaded: 5, quarantined: 0 });
    const rows = await t.store.all<{ order_id: string; content: string }>(
      'SELECT order_id, content FROM orders ORDER BY order_id',
    );
    expect(rows.map((r) => r.content)).toEqual([
      '要开业了！详情一',
      '电梯停运。详情二',
      '为什么？详情三',
      'Help!详情四',
      '还有…详情五',
    ]);
  });
});

describe('placeholder level names', () => {
  const csv = [
    'Unique Key,Created Date,Complaint Type,Descriptor,Text',
    '1,2011-03-01 08:00:00,Panhandling,N/A,a',
    '2,2011-03-01 08:00:00,HEAT/HOT WATER,ENTIRE BUILDING,b',
    '3,2011-03-01 08:00:00,城市管理,其他,c',
    '4,2011-03-01 08:00:00,城市管理,无,d',
    '5,2011-03-01 08:00:00,Asbestos, n/a ,e',
  ].join('\n');
  const columns = { 'Unique Key': 'order_id', 'Created Date': 'created_at', Text: 'content' };

  it('end the path there (the parent stays), 其他 is a real name, and the load names and counts them', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = writeText(
      t.dir,
      'm.json',
      JSON.stringify({ columns, category_levels: ['Complaint Type', 'Descriptor'] }),
    );
    const s = await ingest(t.store, [writeText(t.dir, 'nyc.csv', csv + '\n')], { mapping });
    expect(s).toMatchObject({ loaded: 5, quarantined: 0 });
    const rows = await t.store.all<{ category: string; levels: string[] }>(
      'SELECT category, category_levels AS levels FROM orders ORDER BY order_id',
    );
    expect(rows.map((r) => r.category)).toEqual([
      'Panhandling',
      'HEAT/HOT WATER/ENTIRE BUILDING',
      '城市管理/其他',
      '城市管理',
      'Asbestos',
    ]);
    expect(rows[0].levels).toEqual(['Panhandling']);
    const w = s.files[0].warnings?.join('\n') ?? '';
    expect(w).toMatch(/^3 行的分类层级不指具体分类（/m);
    expect(w).toContain("'N/A' 1");
    expect(w).toContain("'无' 1");
  });

  it('come from the mapping when it gives its own list', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const mapping = writeText(
      t.dir,
      'm.json',
      JSON.stringify({ columns, category_levels: ['Complaint Type', 'Descriptor'], category_placeholders: ['其他'] }),
    );
    const s = await ingest(t.store, [writeText(t.dir, 'nyc.csv', csv + '\n')], { mapping });
    const cats = await t.store.all<{ category: string }>('SELECT category FROM orders ORDER BY order_id');
    expect(cats.map((r) => r.category)).toEqual([
      'Panhandling/N/A',
      'HEAT/HOT WATER/ENTIRE BUILDING',
      '城市管理',
      '城市管理/无',
      'Asbestos/n/a',
    ]);
    expect(s.files[0].warnings?.join('\n')).toMatch(/^1 行的分类层级不指具体分类（'其他' 1）/m);
  });
});

describe('files without rows', () => {
  it('a 0-byte file and a header-only file load nothing, each named in a warning, and the drop folder goes on', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const drop = join(t.dir, 'drop');
    mkdirSync(drop);
    writeText(drop, 'a-empty.csv', '');
    writeText(drop, 'b-header-only.csv', `${HEADER}\n`);
    writeText(drop, 'c-empty.xlsx', '');
    writeText(drop, 'd-good.csv', `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\n`);
    const ctx = testContext(t.store, '2024-02-01', { dropFolder: drop });
    const night = await t.store.tx(() => ingestDropStage.run(ctx));
    expect(night).toMatchObject({ files: 4, loaded: 1, set_aside: 0, no_rows: 3 });
    expect(await t.store.value('SELECT count(*) FROM orders')).toBe(1);
    expect(await t.store.value('SELECT count(*) FROM quarantine')).toBe(0);
  });

  it('by hand: the same warnings, the good file loads, exit 0', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const empty = writeText(t.dir, 'empty.csv', '');
    const header = writeText(t.dir, 'header.csv', `${HEADER}\n`);
    const good = writeText(t.dir, 'good.csv', `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\n`);
    const s = await ingest(t.store, [empty, header, good]);
    expect(s).toMatchObject({ read: 1, loaded: 1, set_aside: [] });
    expect(s.files.map((f) => f.warnings?.[0])).toEqual([
      'empty.csv：空文件（0 字节），未读入任何工单',
      'header.csv：表头之后没有数据行，未读入任何工单',
      undefined,
    ]);
    const db = join(t.dir, 'cli.duckdb');
    const r = runCli(['--db', db, 'ingest', empty, header, good]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('提示：empty.csv：空文件（0 字节），未读入任何工单');
  }, 60_000);
});
