import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveWindow } from '../../src/ingest/dates.js';
import { ingestDropStage } from '../../src/ingest/drop-stage.js';
import { readXlsx } from '../../src/ingest/xlsx.js';
import { UserError } from '../../src/store/errors.js';
import { tempStore, testContext } from '../helpers.js';
import { ingest, writeText } from './util.js';
import { buildXlsx, buildZip } from './xlsx-maker.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function store() {
  const t = await tempStore();
  cleanup = t.cleanup;
  return t;
}

/** The whole message of what `run` rejects with: the one line a data team reads. */
async function messageOf(run: () => Promise<unknown>): Promise<string> {
  const err = await run().then(
    () => new Error('no error'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return (err as Error).message;
}

const ROWS = [
  ['order_id', 'created_at', 'category', 'content'],
  ['A1', '2024-01-01 08:00:00', '城乡建设', '路灯不亮'],
];

describe('ingest errors a data team reads, in Chinese, naming the file', () => {
  it('a workbook: an empty sheet, a sheet the mapping names that is not there, broken XML, a cut zip, a size limit', async () => {
    const t = await store();
    const empty = join(t.dir, 'empty.xlsx');
    writeFileSync(empty, buildXlsx([]));
    expect(await messageOf(() => readXlsx(t.store, empty))).toBe(`${empty}：工作表 '1' 是空的`);
    const book = join(t.dir, 'book.xlsx');
    writeFileSync(book, buildXlsx(ROWS));
    expect(await messageOf(() => readXlsx(t.store, book, '工单'))).toBe(`${book}：没有工作表 '工单'（现有工作表：S）`);
    expect(await messageOf(() => readXlsx(t.store, book, undefined, { maxBytes: 100 }))).toMatch(
      new RegExp(`^${book}：文件 \\d+ 字节，超过上限 100（配置 ingest\\.xlsx\\.max_bytes）$`),
    );
    const cut = join(t.dir, 'cut.xlsx');
    const whole = buildXlsx(ROWS);
    writeFileSync(cut, whole.subarray(0, whole.length - 30));
    expect(await messageOf(() => readXlsx(t.store, cut))).toBe(`${cut}：不是 XLSX 工作簿（zip 已损坏：没有中央目录）`);
    const xml = join(t.dir, 'xml.xlsx');
    writeFileSync(xml, buildZip([{ name: 'xl/workbook.xml', data: '<workbook><sheets>' }]));
    expect(await messageOf(() => readXlsx(t.store, xml))).toMatch(
      new RegExp(`^${xml}：xl/workbook\\.xml：不是格式正确的 XML（.+）$`),
    );
  });

  it('an unreadable Arrow file is set aside with its reason; a CSV without a header line stops the load', async () => {
    const t = await store();
    const arrow = writeText(t.dir, 'bad.arrow', 'ARROW1 garbage');
    const s = await ingest(t.store, [arrow]);
    expect(s.set_aside.map((f) => f.path)).toEqual([arrow]);
    expect(s.set_aside[0].reason).toMatch(new RegExp(`^${arrow}：不是可读的 Arrow IPC 文件（.+）$`));
    const blank = writeText(t.dir, 'blank.csv', '\n\n  \n');
    expect(await messageOf(() => ingest(t.store, [blank]))).toBe(`${blank}：空文件，或表头行为空`);
  });

  it('no files, a missing drop folder, and a bad date window name what to fix', async () => {
    const t = await store();
    expect(await messageOf(() => ingest(t.store, []))).toBe('没有给出要读入的文件');
    const drop = join(t.dir, 'no-such-drop');
    expect(existsSync(drop)).toBe(false);
    expect(await messageOf(() => ingestDropStage.run(testContext(t.store, '2024-02-01', { dropFolder: drop })))).toBe(
      `配置 dropFolder 指向的文件夹不存在：${drop}`,
    );
    expect(() => resolveWindow({ from: '2020-13-45' })).toThrow(
      new UserError("配置 ingest 部分：date_window.from 应为 YYYY-MM-DD 格式的日期，收到的是 '2020-13-45'"),
    );
    expect(() => resolveWindow({ from: '2021-01-01', to: '2020-01-01' })).toThrow(
      new UserError('配置 ingest 部分：date_window.from（2021-01-01）晚于 date_window.to（2020-01-01）'),
    );
  });
});
