import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/store/paths.js';
import { tempStore } from '../helpers.js';
import { arithmetic, HEADER, ingest, orderCount, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

interface Q {
  line: number;
  field: string | null;
  reason: string;
  raw: string;
}

describe('quarantine', () => {
  it('records each failure with its true line, even after multi-line quoted content and blank lines', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const lines = [
      `${HEADER},lon,lat`, // 1
      'Q1,2024-01-02 08:00,城乡建设,"第一行', // 2
      '第二行",116.4,39.9', // 3 (same record)
      ',2024-01-02 08:00,城乡建设,缺编号,,', // 4 missing order_id
      'Q3,,城乡建设,缺时间,,', // 5 missing created_at
      'Q4,昨天下午,城乡建设,时间不可读,,', // 6 unparseable created_at
      'Q5,2024-01-02 08:00,,空分类,,', // 7 empty category
      'Q6,2024-01-02 08:00,城乡建设,  ,,', // 8 empty content
      '', // 9 blank line
      'Q7,2024-01-02 08:00,城乡建设,经度越界,200,39.9', // 10 lon out of range
      'Q8,2024-01-02 08:00,城乡建设,纬度越界,116.4,95', // 11 lat out of range
      'Q9,2024-01-02 08:00,城乡建设,只有经度,116.4,', // 12 only one of lon/lat
      'Q10,2024-01-02 08:00,城乡建设,多一列,116.4,39.9,extra', // 13 unreadable: too many columns
      'Q11,2024-01-02 08:00,城乡建设', // 14 unreadable: too few columns
      'Q12,2024-01-02 08:00,城乡建设,"好的 ""引号""",116.4,39.9', // 15 fine
      'Q13,1985-01-02 08:00,城乡建设,太早,,', // 16 out of range
      'Q14,2024-01-02 08:00,城乡建设,经度不是数,abc,39.9', // 17 lon not a number
    ];
    const f = writeText(t.dir, 'bad.csv', lines.join('\n') + '\n');
    const s = await ingest(t.store, [f]);
    expect(s.read).toBe(14); // 14 records: the blank line is not a row
    expect(s.loaded).toBe(2);
    expect(s.quarantined).toBe(12);
    expect(arithmetic(s)).toBe(true);
    const q = await t.store.all<Q>('SELECT line, field, reason, raw FROM quarantine ORDER BY line');
    const got = q.map((r) => [
      r.line,
      r.field,
      r.reason.split(/[:：]/)[0].replace(/（\d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d）$/, ''),
    ]);
    expect(got).toEqual([
      [4, 'order_id', '缺少工单编号 order_id'],
      [5, 'created_at', '缺少受理时间 created_at'],
      [6, 'created_at', '受理时间 created_at 无法识别'],
      [7, 'category', '诉求分类 category 为空'],
      [8, 'content', '诉求内容 content 为空'],
      [10, 'lon', '经度 lon 超出 [-180, 180]'],
      [11, 'lat', '纬度 lat 超出 [-90, 90]'],
      [12, 'lat', '经纬度只有一个（lon/lat 须同时给出）'],
      [13, null, '无法读取的行'],
      [14, null, '无法读取的行'],
      [16, 'created_at', '受理时间 created_at 早于合理日期范围'],
      [17, 'lon', '经度 lon 不是数字'],
    ]);
    // beside each reason its machine code (sql/schema/0011_quarantine_reason_code.sql), one per kind of failure
    const codes = await t.store.all<{ line: number; reason_code: string }>(
      'SELECT line, reason_code FROM quarantine ORDER BY line',
    );
    expect(codes.map((r) => [r.line, r.reason_code])).toEqual([
      [4, 'missing_order_id'],
      [5, 'missing_created_at'],
      [6, 'unreadable_created_at'],
      [7, 'missing_category'],
      [8, 'missing_content'],
      [10, 'lon_out_of_range'],
      [11, 'lat_out_of_range'],
      [12, 'coords_incomplete'],
      [13, 'wrong_field_count'],
      [14, 'wrong_field_count'],
      [16, 'created_before_window'],
      [17, 'lon_not_number'],
    ]);
    // the raw row is kept as JSON with the source headers
    expect(JSON.parse(q[0].raw)).toMatchObject({ order_id: null, content: '缺编号' });
    expect(q[8].raw).toContain('Q10');
    // the row's own field count, not DuckDB's
    expect(q[8].reason).toBe('无法读取的行：字段数不对（应为 6 个，实际 7 个）');
    expect(q[9].reason).toBe('无法读取的行：字段数不对（应为 6 个，实际 3 个）');
    expect(await t.store.value("SELECT source_line FROM orders WHERE order_id = 'Q12'")).toBe(15);
    expect(await t.store.value("SELECT content FROM orders WHERE order_id = 'Q1'")).toBe('第一行\n第二行');
    expect(await t.store.value("SELECT content FROM orders WHERE order_id = 'Q12'")).toBe('好的 "引号"');
  });

  it('bad encoding inside a GBK file is quarantined, not loaded as mojibake', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const iconv = (await import('iconv-lite')).default;
    const good = iconv.encode(`${HEADER}\nE1,2024-01-02 08:00,城乡建设,暖气不热\nE2,2024-01-02 08:00,城乡建设,`, 'gbk');
    const broken = Buffer.concat([good, Buffer.from([0x81, 0x0a])]); // 0x81 starts a GBK pair that never ends
    const p = join(t.dir, 'broken-gbk.csv');
    (await import('node:fs')).writeFileSync(p, broken);
    const s = await ingest(t.store, [p]);
    expect(s.files[0].encoding).toBe('gb18030');
    expect(s).toMatchObject({ read: 2, loaded: 1, quarantined: 1 });
    expect(await t.store.value('SELECT reason FROM quarantine')).toMatch(/编码错误/);
    expect(await t.store.value('SELECT reason_code FROM quarantine')).toBe('bad_encoding');
  });

  it('--strict loads nothing from a file with quarantined rows but still records them; clean files load', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const bad = writeText(t.dir, 'bad.csv', `${HEADER}\nS1,2024-01-02 08:00,城乡建设,好\nS2,,城乡建设,坏\n`);
    const good = writeText(t.dir, 'good.csv', `${HEADER}\nS3,2024-01-02 08:00,城乡建设,好\n`);
    const s = await ingest(t.store, [bad, good], { strict: true });
    expect(s.strict_failed).toBe(true);
    expect(s.files.map((f) => f.committed)).toEqual([false, true]);
    expect(await t.store.all('SELECT order_id FROM orders')).toEqual([{ order_id: 'S3' }]);
    expect(await t.store.value('SELECT count(*) FROM quarantine')).toBe(1);
    // not recorded as ingested: once fixed (or without --strict) the same file loads
    const s2 = await ingest(t.store, [bad]);
    expect(s2).toMatchObject({ loaded: 1, quarantined: 1 });
    expect(await orderCount(t.store)).toBe(2);
  });

  it('the shipped fixture: a mixed file gives the CONTRACT arithmetic', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const f = join(packageRoot, 'test/fixtures/ingest/canonical.csv');
    expect(readFileSync(f, 'utf8')).toContain('A1');
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 7, loaded: 2, updated: 1, unchanged: 0, quarantined: 4 });
    const lines = await t.store.all<{ line: number }>('SELECT line FROM quarantine ORDER BY line');
    expect(lines.map((r) => r.line)).toEqual([5, 6, 9, 10]);
  });
});
