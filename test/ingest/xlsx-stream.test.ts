import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/store/paths.js';
import { tempStore } from '../helpers.js';
import { ingest } from './util.js';
import { buildXlsx } from './xlsx-maker.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A workbook of `n` orders after the header (inline strings, as the minimal maker writes them). */
function workbook(dir: string, n: number): string {
  const rows = [['order_id', 'created_at', 'category', 'content']];
  for (let i = 0; i < n; i++)
    rows.push([`X${i}`, '2024-01-02 08:00:00', '城乡建设/供暖', `第${i}条：暖气不热，家中老人受冻，请尽快处理。`]);
  const p = join(dir, `w${n}.xlsx`);
  writeFileSync(p, buildXlsx(rows));
  return p;
}

/** Rows read and the peak JS heap while reading, in a child process of its own. */
function heapOf(file: string): { rows: number; peakMB: number } {
  const child = join(packageRoot, 'test/ingest/xlsx-heap-child.ts');
  const res = spawnSync(process.execPath, ['--import', 'tsx', child, file], { encoding: 'utf8', cwd: packageRoot });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as { rows: number; peakMB: number };
}

describe('XLSX is streamed', () => {
  it('reads every row of a large sheet with a JS heap that does not grow with its rows', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const small = heapOf(workbook(t.dir, 10_000));
    const large = heapOf(workbook(t.dir, 120_000));
    expect(small.rows).toBe(10_000);
    expect(large.rows).toBe(120_000);
    // twelve times the rows: the reader that held the sheet went from 27 to about 95 MB here (10k → 120k rows);
    // streamed, what grows is DuckDB's table, not the heap
    expect(large.peakMB - small.peakMB).toBeLessThan(12);
  }, 60_000);

  it('keeps the OOXML escapes and line ends of a cell: _x000D_ is a carriage return, CR LF in the XML is LF', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const p = join(t.dir, 'esc.xlsx');
    writeFileSync(
      p,
      buildXlsx([
        ['order_id', 'created_at', 'category', 'content'],
        ['E1', '2024-01-02 08:00:00', '城乡建设', '第一段_x000D_\r\n第二段_x005F_x000D_'],
      ]),
    );
    const s = await ingest(t.store, [p]);
    expect(s).toMatchObject({ read: 1, loaded: 1 });
    expect(await t.store.value<string>('SELECT content FROM orders')).toBe('第一段\r\n第二段_x000D_');
  });

  it('stops a sheet that unpacks to more than its zip entry claims, at the first byte over, and sets it aside', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const rows = [['order_id', 'created_at', 'category', 'content']];
    for (let i = 0; i < 50; i++) rows.push([`L${i}`, '2024-01-02 08:00:00', '城乡建设', '内容']);
    const p = join(t.dir, 'liar.xlsx');
    writeFileSync(p, buildXlsx(rows, { claimedSheetSize: 1000 }));
    const s = await ingest(t.store, [p]);
    expect(s.loaded).toBe(0);
    expect(s.set_aside[0].reason).toBe(
      `${p}：xl/worksheets/sheet1.xml 解压后超过 1000 字节（比 zip 条目声明的大小还大）`,
    );
  });
});
