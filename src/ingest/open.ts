import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { readArrow } from './arrow.js';
import { readCsv } from './csv.js';
import type { Format, TextFacts } from './files.js';
import { readJsonl } from './jsonl.js';
import type { Mapping } from './mapping.js';
import { readParquet } from './parquet.js';
import type { Source } from './staging.js';
import { headerTest } from './title-rows.js';
import { readXlsx, type XlsxLimits } from './xlsx.js';

/**
 * Read one file into the staging view ingest_src (and ingest_unreadable), whatever its format. A file the reader
 * cannot take at all is a UserError naming it, so the file is set aside and the others still load.
 */
export async function openSource(store: Store, path: string, how: HowToRead): Promise<Source> {
  if (how.format === 'parquet') checkParquet(path);
  try {
    return await read(store, path, how);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}：无法按 ${how.format} 格式读取（${(err as Error).message.split('\n')[0]}）`);
  }
}

/** How a file is read: its format, the mapping's reader hints, what the text sniffing found, the XLSX limits. */
export interface HowToRead {
  format: Format;
  mapping: Mapping | undefined;
  text: TextFacts | undefined;
  encoding: 'utf-8' | 'gb18030' | undefined;
  limits: Partial<XlsxLimits> | undefined;
}

/**
 * A Parquet file starts and ends with 'PAR1'. Checked before DuckDB opens it: inside the nightly's transaction a
 * reader error would abort the whole transaction, where a refused file is only set aside.
 */
export function checkParquet(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(4);
  const tail = Buffer.alloc(8);
  try {
    readSync(fd, head, 0, 4, 0);
    readSync(fd, tail, 0, 8, Math.max(0, size - 8));
  } finally {
    closeSync(fd);
  }
  if (size < 12 || head.toString('latin1') !== 'PAR1' || tail.subarray(4).toString('latin1') !== 'PAR1')
    throw new UserError(`${path}：不是 Parquet 文件（首尾没有 PAR1 标记）`);
  // the footer's length sits just before the closing mark, and the footer must fit between the two marks
  const footer = tail.readUInt32LE(0);
  if (footer < 1 || footer > size - 12)
    throw new UserError(`${path}：Parquet 文件已损坏（文件共 ${size} 字节，尾部元数据却标为 ${footer} 字节）`);
}

async function read(store: Store, path: string, how: HowToRead): Promise<Source> {
  const { mapping, text, encoding, limits } = how;
  switch (how.format) {
    case 'csv':
      return readCsv(store, path, {
        encoding: encoding ?? text!.encoding,
        delimiter: mapping?.delimiter,
        lines: text!.lines,
        isHeader: headerTest(mapping),
      });
    case 'parquet':
      return readParquet(store, path);
    case 'jsonl':
    case 'json':
      return readJsonl(store, path);
    case 'xlsx':
      return readXlsx(store, path, mapping?.sheet, limits, headerTest(mapping));
    case 'arrow':
      return readArrow(store, path);
  }
}
