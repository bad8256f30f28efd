import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/store/paths.js';
import { tempStore } from '../helpers.js';
import { arithmetic, ingest, writeText } from './util.js';

const FIX = join(packageRoot, 'test/fixtures/ingest');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

type Row = { order_id: string; created_at: string; levels: string[]; content: string; source_line: number };

describe('a 留言板 export (泰迪杯 2020 style): unpadded dates, title + detail, trailing empty rows', () => {
  it('loads every message once with its own date and 一级分类, skips the empty rows, trims the wrapped detail', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const file = join(FIX, 'tipdm-style.csv');
    const s = await ingest(t.store, [file], { mapping: join(FIX, 'tipdm-style.mapping.json') });
    // six records, one id twice (the later row wins), five ',,,,,' rows that are not orders
    expect(s).toMatchObject({ read: 6, loaded: 5, updated: 1, quarantined: 0 });
    expect(arithmetic(s)).toBe(true);
    expect(s.files[0].warnings?.join('\n')).toMatch(/^5 行所有字段均为空，已跳过/m);
    expect(await t.store.value<number>('SELECT count(*) FROM quarantine')).toBe(0);
    const rows = await t.store.all<Row>(
      'SELECT order_id, created_at::VARCHAR AS created_at, category_levels AS levels, content, source_line FROM orders ORDER BY order_id',
    );
    expect(rows.map((r) => [r.order_id, r.created_at, r.levels])).toEqual([
      ['501', '2020-01-06 12:09:38', ['环境保护']],
      ['502', '2019-11-21 08:05:00', ['劳动和社会保障']],
      ['503', '2018-03-09 17:45:02', ['城乡建设']],
      ['504', '2012-01-19 17:49:30', ['劳动和社会保障']],
      ['505', '2011-10-01 10:16:20', ['教育文体']],
    ]);
    const byId = new Map(rows.map((r) => [r.order_id, r]));
    // title first, then the detail; the tabs and line breaks the web form wrapped it in are gone at both ends
    expect(byId.get('503')!.content).toBe(
      'B2区幸福小区电梯长期停运。电梯停了两个月，物业说等维修基金，老人上下楼很困难。',
    );
    const c501 = byId.get('501')!.content;
    expect(c501.startsWith('B市滨河路夜间施工噪声扰民。')).toBe(true);
    expect(c501.endsWith('请有关部门尽快处理。')).toBe(true);
    expect(byId.get('502')!.content).toContain('联系电话139****5678');
    // the line each record starts on, as an editor shows it (multi-line quoted details counted)
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(byId.get('505')!.source_line).toBe(lines.findIndex((l) => l.startsWith('505,')) + 1);
  });

  it('skips the empty rows on the direct way too (no id repeated), and --strict does not count them', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const text = readFileSync(join(FIX, 'tipdm-style.csv'), 'utf8');
    // the later copy of 504 removed: every id once, so the file takes the direct way
    const cut = text.indexOf('504,', text.indexOf('504,') + 1);
    const file = writeText(t.dir, 'direct.csv', text.slice(0, cut) + text.slice(text.indexOf('505,')));
    const mapping = join(FIX, 'tipdm-style.mapping.json');
    const s = await ingest(t.store, [file], { mapping, strict: true });
    expect(s).toMatchObject({ read: 5, loaded: 5, quarantined: 0, files: [{ committed: true }] });
    expect(s.files[0].warnings?.join('\n')).toMatch(/^5 行所有字段均为空，已跳过/m);
    const again = await ingest(t.store, [file], { mapping, reload: true });
    expect(again).toMatchObject({ read: 5, unchanged: 5, quarantined: 0 });
  });

  it('joins a title and a detail with one 。 only where the title does not end a sentence, each trimmed first', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const csv = [
      '留言编号,留言用户,留言主题,留言时间,留言详情,一级分类',
      '601,U1,超市要开业了！,2020/1/6 9:00:00,"\t\t\n\t\u3000\u3000门口占道堆货。\n\t\t",商贸旅游',
      '602,U2,路灯不亮,2020/1/6 9:10:00,"\n\t\t小区路灯坏了一个月\t\n",城乡建设',
      '603,U3,能否延长营业时间？,2020/1/6 9:20:00,"\u3000社区医院周末关门",卫生计生',
    ].join('\r\n');
    const file = writeText(t.dir, 'joined.csv', csv + '\r\n');
    const s = await ingest(t.store, [file], { mapping: join(FIX, 'tipdm-style.mapping.json') });
    expect(s).toMatchObject({ loaded: 3, quarantined: 0 });
    const rows = await t.store.all<{ content: string }>('SELECT content FROM orders ORDER BY order_id');
    expect(rows.map((r) => r.content)).toEqual([
      '超市要开业了！门口占道堆货。',
      '路灯不亮。小区路灯坏了一个月',
      '能否延长营业时间？社区医院周末关门',
    ]);
  });
});
