import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserError } from '../store/errors.js';

/** A .json file that is not one JSON document of records (the caller then reads it as JSON Lines, or refuses it). */
export class NotADocument extends Error {}

/**
 * A JSON document whose records array is empty (an API's answer on a quiet day): like a CSV with a header alone, it
 * loads nothing and is named in a warning, where its missing columns would set it aside.
 */
export class NoRecords extends UserError {}

/** One record of a JSON document: its text and the line its first character is on. */
export interface DocRecord {
  line: number;
  text: string;
}

/**
 * How a .json file is written: `array` when its first character is '[' (a bare array of records, as Socrata's
 * resource API returns), `object` when it opens with an object that is not complete on its first line (a
 * pretty-printed document) or whose one key holds an array (Open311's `{"service_requests": [...]}` on one line),
 * `lines` otherwise (JSON Lines: each line one complete object).
 */
export async function jsonLayout(path: string): Promise<'array' | 'object' | 'lines'> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const start = head.search(/\S/);
    if (start < 0 || (head[start] !== '[' && head[start] !== '{')) return 'lines';
    if (head[start] === '[') return 'array';
    const firstLine = head.slice(start).split(/\r?\n/, 1)[0];
    try {
      // an API's compact answer is one line too: an object whose one key holds an array is a wrapper of records (an
      // order has more fields than one)
      const parsed = JSON.parse(firstLine) as unknown;
      const values = parsed && typeof parsed === 'object' ? Object.values(parsed) : [];
      return values.length === 1 && Array.isArray(values[0]) ? 'object' : 'lines';
    } catch {
      return 'object';
    }
  } finally {
    await fh.close();
  }
}

/** Scanner state over the characters of one document. */
interface Scan {
  depth: number;
  inStr: boolean;
  esc: boolean;
  line: number;
  top: string;
  /** The depth whose direct values are the records: 1 in a top-level array, 2 in the wrapper's array. */
  container: number;
  open: boolean;
  /** In the wrapper object after a ':', waiting for the value (the first array value holds the records). */
  expectValue: boolean;
  rec: string[] | null;
  recLine: number;
  recFrom: number;
  closed: boolean;
}

/**
 * The records of a JSON document, streamed: the elements of a top-level array, or of the first array that is a
 * direct value of a top-level object. Each comes with the line its first character is on, so a rejected record is
 * named by its line as a JSON Lines row would be. Throws NotADocument when the file is not one such document.
 */
export async function* documentRecords(path: string): AsyncGenerator<DocRecord> {
  const s: Scan = {
    depth: 0,
    inStr: false,
    esc: false,
    line: 1,
    top: '',
    container: -1,
    open: false,
    expectValue: false,
    rec: null,
    recLine: 0,
    recFrom: 0,
    closed: false,
  };
  let first = true;
  for await (const raw of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const chunk = first ? (raw as string).replace(/^\uFEFF/, '') : (raw as string);
    first = false;
    const done: DocRecord[] = [];
    scanChunk(s, chunk, done);
    if (s.rec) s.rec.push(chunk.slice(s.recFrom));
    s.recFrom = 0;
    yield* done;
  }
  if (!s.closed) throw new NotADocument(`JSON 文档不完整（在第 ${s.line} 行中断）`);
  if (s.container < 0) throw new NotADocument('JSON 文档里没有记录数组（应为对象数组，或对象中某个键下的对象数组）');
}

/** Scans one chunk, pushing each record that ends in it onto `done`. */
function scanChunk(s: Scan, chunk: string, done: DocRecord[]): void {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c === '\n') s.line++;
    if (s.inStr) {
      if (s.esc) s.esc = false;
      else if (c === '\\') s.esc = true;
      else if (c === '"') s.inStr = false;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    if (s.closed) throw new NotADocument(`JSON 文档之后还有内容（第 ${s.line} 行）`);
    if (s.depth === 0 && !s.top) {
      if (c !== '[' && c !== '{') throw new NotADocument('不是 JSON 文档');
      s.top = c;
      if (c === '[') {
        s.container = 1;
        s.open = true;
      }
    } else if (s.top === '{' && s.depth === 1 && s.container < 0) {
      if (c === ':') s.expectValue = true;
      else if (s.expectValue) {
        s.expectValue = false;
        if (c === '[') {
          s.container = 2;
          s.open = true;
        }
      }
    }
    const atRecord = s.open && s.depth === s.container;
    if (atRecord && !s.rec && c !== ',' && c !== ']') startRecord(s, i);
    if (c === '"') s.inStr = true;
    else if (c === '{' || c === '[') s.depth++;
    else if (c === '}' || c === ']') {
      if (s.rec && s.depth === s.container + 1) endRecord(s, chunk, i + 1, done);
      else if (s.rec && s.depth === s.container && c === ']') endRecord(s, chunk, i, done);
      if (s.open && s.depth === s.container && c === ']') s.open = false;
      s.depth--;
      if (s.depth < 0) throw new NotADocument(`JSON 括号不配对（第 ${s.line} 行）`);
      if (s.depth === 0) s.closed = true;
    } else if (c === ',' && s.rec && s.depth === s.container) endRecord(s, chunk, i, done);
  }
}

function startRecord(s: Scan, i: number): void {
  s.rec = [];
  s.recLine = s.line;
  s.recFrom = i;
}

function endRecord(s: Scan, chunk: string, end: number, done: DocRecord[]): void {
  s.rec!.push(chunk.slice(s.recFrom, end));
  done.push({ line: s.recLine, text: s.rec!.join('').trim() });
  s.rec = null;
}
