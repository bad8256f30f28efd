import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestDropStage } from '../../src/ingest/drop-stage.js';
import { Store } from '../../src/store/db.js';
import { runCli, tempDir, tempStore, testContext } from '../helpers.js';
import { HEADER, ingest, writeText } from './util.js';
import { buildXlsx, buildZip } from './xlsx-maker.js';
import { resolveSalt } from '../../src/store/salt.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function store() {
  const t = await tempStore();
  cleanup = t.cleanup;
  return t;
}

const ROWS = [
  ['order_id', 'created_at', 'category', 'content'],
  ['A1', '2024-01-01 08:00:00', '城乡建设', '路灯不亮'],
  ['A2', '2024-01-02 08:00:00', '城乡建设', '井盖缺失'],
];

describe('a broken CSV line', () => {
  it('an unclosed quote quarantines its own line only; the valid rows after it load', async () => {
    const t = await store();
    const f = writeText(
      t.dir,
      'unclosed.csv',
      [
        HEADER,
        'U1,2024-01-01 08:00:00,X,fine one',
        'U2,2024-01-01 09:00:00,X,"broken quote never closed',
        'U3,2024-01-02 08:00:00,X,fine three',
        'U4,2024-01-03 08:00:00,X,"fine, quoted four"',
        'U5,2024-01-04 08:00:00,X,"a quoted field',
        'over two lines"',
      ].join('\n') + '\n',
    );
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 5, loaded: 4, quarantined: 1 });
    const q = await t.store.all<{ line: number; reason: string; reason_code: string; raw: string }>(
      'SELECT line, reason, reason_code, raw FROM quarantine',
    );
    expect(q).toHaveLength(1);
    expect(q[0].line).toBe(3);
    expect(q[0].reason).toMatch(/引号开始后没有结束/);
    expect(q[0].reason_code).toBe('unclosed_quote');
    expect(q[0].raw).toBe('U2,2024-01-01 09:00:00,X,"broken quote never closed');
    const lines = await t.store.all<{ order_id: string; source_line: number }>(
      'SELECT order_id, source_line FROM orders ORDER BY order_id',
    );
    expect(lines.map((r) => [r.order_id, Number(r.source_line)])).toEqual([
      ['U1', 2],
      ['U3', 4],
      ['U4', 5],
      ['U5', 6],
    ]);
  });
});

describe('hostile workbooks', () => {
  it('a comment on __proto__ does not pollute Object.prototype (CVE-2023-30533), and the rows load', async () => {
    const t = await store();
    const p = join(t.dir, 'proto.xlsx');
    writeFileSync(p, buildXlsx(ROWS, { commentRef: '__proto__' }));
    const s = await ingest(t.store, [p]);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(s).toMatchObject({ read: 2, loaded: 2 });
  });

  it('a sheet whose <dimension> claims A1:XFD1048576 is read by the cells it has, at once', async () => {
    const t = await store();
    const p = join(t.dir, 'claim.xlsx');
    writeFileSync(p, buildXlsx(ROWS, { dimension: 'A1:XFD1048576' }));
    const started = performance.now();
    const s = await ingest(t.store, [p]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(s).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
  });

  it('an HTML table, a zip without a workbook, and files over each limit are set aside; the others load', async () => {
    const t = await store();
    const html = writeText(t.dir, 'table.xlsx', '<table><tr><td>order_id</td></tr><tr><td>A9</td></tr></table>');
    const wide = join(t.dir, 'wide.xlsx');
    writeFileSync(wide, buildXlsx([[...ROWS[0], 'e', 'f', 'g'], ROWS[1]]));
    const long = join(t.dir, 'long.xlsx');
    writeFileSync(long, buildXlsx([...ROWS, ['A3', '2024-01-03 08:00:00', 'X', 'y']]));
    const bomb = join(t.dir, 'bomb.xlsx');
    writeFileSync(bomb, buildXlsx(ROWS, { claimedSheetSize: 4_000_000_000 }));
    const nozip = join(t.dir, 'parts.xlsx');
    writeFileSync(nozip, buildZip([{ name: 'word/document.xml', data: '<w/>' }]));
    const good = writeText(t.dir, 'good.csv', `${HEADER}\nG1,2024-01-05 08:00:00,X,好\n`);
    const limits = { maxColumns: 6, maxRows: 2, maxUnzippedBytes: 1_000_000 };
    const s = await ingest(t.store, [html, wide, long, bomb, nozip, good], { limits });
    expect(s).toMatchObject({ read: 1, loaded: 1 });
    const reasons = Object.fromEntries(s.set_aside.map((f) => [f.path.split('/').pop(), f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['bomb.xlsx', 'long.xlsx', 'parts.xlsx', 'table.xlsx', 'wide.xlsx']);
    expect(reasons['table.xlsx']).toBe(
      `${html}：不是 XLSX 工作簿（没有 zip 文件头；是改名为 .xlsx 的网页或 CSV 吗？）`,
    );
    expect(reasons['wide.xlsx']).toBe(`${wide}：7 列，超过上限 6（配置 ingest.xlsx.max_columns）`);
    expect(reasons['long.xlsx']).toBe(`${long}：超过 2 行（配置 ingest.xlsx.max_rows）`);
    expect(reasons['parts.xlsx']).toBe(`${nozip}：不是 XLSX 工作簿（压缩包中没有 xl/workbook.xml）`);
    expect(reasons['bomb.xlsx']).toMatch(
      new RegExp(`^${bomb}：解压后 \\d+ 字节，超过上限 1000000（配置 ingest\\.xlsx\\.max_unzipped_bytes）$`),
    );
    const q = await t.store.value<number>("SELECT count(*) FROM quarantine WHERE reason LIKE '整个文件未读入：%'");
    expect(q).toBe(5);
  });

  it('in the drop folder a bad file is set aside once and recorded; the good one loads and the nightly goes on', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const s = await Store.open(join(t.dir, 'd.duckdb'));
    try {
      const drop = join(t.dir, 'drop');
      mkdirSync(drop);
      writeText(drop, 'a-bad.xlsx', '<html><table><tr><td>x</td></tr></table></html>');
      writeText(drop, 'b-wrong-headers.csv', 'foo,bar\n1,2\n');
      writeText(drop, 'c-good.csv', `${HEADER}\nN1,2024-01-02 08:00:00,城乡建设,好\n`);
      // inside the nightly's transaction a DuckDB reader error would abort everything: these are refused before
      writeText(drop, 'd-bad.parquet', 'PAR1garbagegarbagePAR1');
      writeText(drop, 'e-bad.arrow', 'ARROW1 garbage');
      const ctx = testContext(s, '2024-02-01', { dropFolder: drop });
      expect(await s.tx(() => ingestDropStage.run(ctx))).toMatchObject({ files: 5, loaded: 1, set_aside: 4 });
      // the next night: nothing new, nothing failing again
      expect(await s.tx(() => ingestDropStage.run(ctx))).toMatchObject({ files: 0, skipped: 5, set_aside: 0 });
      expect(await s.value('SELECT count(*) FROM orders')).toBe(1);
      const q = await s.all<{ file: string; reason: string; reason_code: string }>(
        'SELECT file, reason, reason_code FROM quarantine ORDER BY file',
      );
      expect(new Set(q.map((r) => r.reason_code))).toEqual(new Set(['file_set_aside']));
      expect(q.map((r) => r.file.split('/').pop())).toEqual([
        'a-bad.xlsx',
        'b-wrong-headers.csv',
        'd-bad.parquet',
        'e-bad.arrow',
      ]);
      expect(q[2].reason).toMatch(/Parquet 文件已损坏/);
      expect(q[1].reason).toMatch(/找不到必填字段 order_id 对应的列/);
    } finally {
      s.close();
    }
  }, 60_000);
});

describe('salt and file modes', () => {
  it('refuses a short salt, and a salt other than the store was built with unless --new-salt', async () => {
    const t = await store();
    const db = join(t.dir, 'x.duckdb');
    writeFileSync(db + '.salt', '   \n');
    expect(() => resolveSalt({}, db)).toThrow(/x\.duckdb\.salt：盐值（salt）短于 16 字节/);
    expect(() => resolveSalt({ salt: 'short-salt' }, db)).toThrow(/config salt：盐值（salt）短于 16 字节/);
    writeFileSync(db + '.salt', 'first-salt-0123456789\n');
    expect(resolveSalt({}, db)).toBe('first-salt-0123456789');
    const a = writeText(t.dir, 'a.csv', `${HEADER}\nS1,2024-01-02 08:00:00,城乡建设,好\n`);
    const b = writeText(t.dir, 'b.csv', `${HEADER}\nS2,2024-01-03 08:00:00,城乡建设,好\n`);
    await ingest(t.store, [a], { salt: 'first-salt-0123456789' });
    await expect(ingest(t.store, [b], { salt: 'other-salt-0123456789' })).rejects.toThrow(
      /不是建库时所用的.*--new-salt/,
    );
    expect(await t.store.value('SELECT count(*) FROM orders')).toBe(1);
    expect(await ingest(t.store, [b], { salt: 'other-salt-0123456789', newSalt: true })).toMatchObject({ loaded: 1 });
    // from then on the new salt is the store's
    await expect(ingest(t.store, [a], { salt: 'first-salt-0123456789', reload: true })).rejects.toThrow(/--new-salt/);
  });

  it('a new store is created readable by owner and group only; a wrong salt is one line on stderr', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = join(t.dir, 'm.duckdb');
    const csv = writeText(t.dir, 'a.csv', `${HEADER}\nM1,2024-01-02 08:00:00,城乡建设,好\n`);
    expect(runCli(['--db', db, 'ingest', csv]).code).toBe(0);
    expect(statSync(db).mode & 0o077).toBe(0o040 & statSync(db).mode);
    expect(statSync(db).mode & 0o007).toBe(0);
    const other = runCli(['--db', db, 'ingest', csv], { env: { WEISU_SALT: 'other-salt-0123456789' } });
    expect(other.code).toBe(2);
    expect(other.stderr.trim().split('\n')).toHaveLength(1);
    expect(other.stderr).toMatch(/^weisu: .*m\.duckdb：盐值（指纹 .*）不是建库时所用的/);
  }, 60_000);
});
