import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import iconv from 'iconv-lite';

/**
 * GBK/GB18030 → UTF-8 into a new file (DuckDB reads UTF-8 only). The file is cut into blocks at newline bytes —
 * 0x0A never occurs inside a GB18030 multi-byte sequence, so every block decodes on its own exactly as the whole
 * stream would — and worker threads (two by default: the machine's other core) decode blocks while this thread reads
 * and writes them in file order. The text is what iconv-lite's stream decoder gives (see WORKER_SOURCE); undecodable
 * bytes become U+FFFD (validation quarantines those rows). A file of one block is decoded here with iconv-lite.
 */
export interface TranscodeStats {
  /** Blocks the file was cut into. */
  blocks: number;
  /** Of those, blocks of ASCII and two-byte codes only, transcoded by the table (the fast way). */
  tableBlocks: number;
}

export async function gb18030ToUtf8(
  src: string,
  dst: string,
  opts: { workers?: number; blockBytes?: number } = {},
): Promise<TranscodeStats> {
  const blockBytes = opts.blockBytes ?? 2 << 20;
  const input = await open(src, 'r');
  const output = await open(dst, 'w');
  const size = (await input.stat()).size;
  const nWorkers = size <= blockBytes ? 0 : Math.max(1, opts.workers ?? 2);
  const pool = Array.from({ length: nWorkers }, () => new DecodeWorker());
  const pending: Array<Promise<Buffer>> = [];
  const maxPending = Math.max(2, nWorkers * 2);
  let nBlocks = 0;
  const blocks = async () => {
    let carry: Buffer = Buffer.alloc(0);
    let pos = 0;
    let next = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(blockBytes);
      const { bytesRead } = await input.read(buf, 0, blockBytes, pos);
      pos += bytesRead;
      const eof = bytesRead === 0;
      let data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      if (!eof) {
        const cut = data.lastIndexOf(0x0a);
        if (cut === -1) {
          carry = data; // a line longer than a block: read on
          continue;
        }
        carry = Buffer.from(data.subarray(cut + 1));
        data = data.subarray(0, cut + 1);
      } else carry = Buffer.alloc(0);
      // a byte-order mark is dropped at the start of the file only, as a stream decoder would
      const first = next++ === 0;
      if (data.length) {
        nBlocks++;
        pending.push(nWorkers ? pool[next % nWorkers].decode(data, first) : Promise.resolve(decode(data, first)));
      }
      // write in file order; at most maxPending blocks in flight bound the memory
      while (pending.length >= maxPending || (eof && pending.length)) {
        const out = await pending.shift()!;
        for (let off = 0; off < out.length;) off += (await output.write(out, off, out.length - off)).bytesWritten;
      }
      if (eof) return;
    }
  };
  try {
    await blocks();
    return { blocks: nBlocks, tableBlocks: pool.reduce((n, w) => n + w.tableBlocks, 0) };
  } catch (err) {
    for (const p of pending) p.catch(() => {}); // abandoned: their failures are not news
    throw err;
  } finally {
    await Promise.all(pool.map((w) => w.close()));
    await input.close();
    await output.close();
  }
}

function decode(block: Buffer, first: boolean): Buffer {
  return Buffer.from(iconv.decode(block, 'gb18030', { stripBOM: first }), 'utf8');
}

// Plain CommonJS evaluated in the worker: no module file to resolve, so it runs the same from src/ (tsx, vitest)
// and from dist/. The reference is iconv-lite's decoder; two faster ways give exactly what it gives where they apply:
// - A block of ASCII and two-byte codes only (almost every block of a real export) is transcoded byte to byte
//   through a table of the 23,940 two-byte codes, built by iconv-lite itself when the worker starts: a two-byte
//   code is one character whatever surrounds it, so the table cannot differ from the stream. Half the CPU of the
//   ICU path below, which has to build a JS string and encode it again. Any other byte (four-byte codes, broken
//   or cut sequences) sends the whole block on; so does the file's first block (byte-order marks).
// - ICU's gb18030 decoder (TextDecoder, more than twice as fast as iconv-lite) when that is certain to give what
//   iconv-lite gives: the block is well-formed (fatal mode) and holds none of the characters whose mapping
//   GB18030-2022 changed (private-use code points, U+9FB4–9FBB, U+FE10–FE19 and six ideographs beyond the BMP).
// Any other block — and any Node without an ICU gb18030 decoder — goes through iconv-lite.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const iconv = require(workerData.iconv);
let icu;
try {
  icu = new TextDecoder('gb18030', { fatal: true });
  if (icu.decode(Buffer.from([0xd6, 0xd0])) !== '\u4e2d') icu = undefined;
} catch {
  icu = undefined;
}
// (lead << 8 | trail) → the character's UTF-8 bytes, packed: length << 24 | bytes; 0 = not a plain two-byte code
let pairs;
function pairTable() {
  const t = new Uint32Array(65536);
  const bytes = [];
  const keys = [];
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++)
      if (trail !== 0x7f) {
        bytes.push(lead, trail);
        keys.push((lead << 8) | trail);
      }
  const s = iconv.decode(Buffer.from(bytes), 'gb18030');
  if (s.length !== keys.length) return t; // not one UTF-16 unit per code: use no entry at all
  for (let k = 0; k < keys.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80 || c === 0xfffd || (c >= 0xd800 && c < 0xe000)) continue;
    t[keys[k]] = c < 0x800
      ? (2 << 24) | ((0xc0 | (c >> 6)) << 8) | (0x80 | (c & 63))
      : (3 << 24) | ((0xe0 | (c >> 12)) << 16) | ((0x80 | ((c >> 6) & 63)) << 8) | (0x80 | (c & 63));
  }
  return t;
}
function byTable(b) {
  const T = pairs || (pairs = pairTable());
  const n = b.length;
  const out = new Uint8Array(n + (n >> 1) + 4); // a two-byte code becomes at most three bytes
  let o = 0;
  let i = 0;
  while (i < n) {
    let x = b[i];
    while (x < 0x80) {
      out[o++] = x;
      if (++i === n) return out.subarray(0, o);
      x = b[i];
    }
    if (i + 1 === n) return undefined;
    const v = T[(x << 8) | b[i + 1]];
    if (v === 0) return undefined;
    if (v >= 0x3000000) {
      out[o] = (v >>> 16) & 255;
      out[o + 1] = (v >>> 8) & 255;
      out[o + 2] = v & 255;
      o += 3;
    } else {
      out[o] = (v >>> 8) & 255;
      out[o + 1] = v & 255;
      o += 2;
    }
    i += 2;
  }
  return out.subarray(0, o);
}
const CHANGED = /[\ue000-\uf8ff\u9fb4-\u9fbb\ufe10-\ufe19]|\u{20087}|\u{20089}|\u{200cc}|\u{215d7}|\u{2298f}|\u{241fe}/u;
function decode(block, first) {
  if (!first) {
    const out = byTable(block);
    if (out) return { out, table: true };
  }
  let s;
  if (icu) {
    try {
      s = icu.decode(block);
      if (CHANGED.test(s)) s = undefined;
      else if (first && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    } catch {
      s = undefined;
    }
  }
  if (s === undefined) s = iconv.decode(block, 'gb18030', { stripBOM: first });
  const buf = Buffer.from(s, 'utf8');
  return { out: new Uint8Array(buf.buffer, buf.byteOffset, buf.length), table: false };
}
parentPort.on('message', ({ id, block, first }) => {
  try {
    const { out, table } = decode(Buffer.from(block.buffer, block.byteOffset, block.length), first);
    // the table path's bytes own their buffer and move without a copy; a Buffer from the string may be pooled
    const ab = table ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
    parentPort.postMessage({ id, out: ab, length: out.length, table }, [ab]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;
const ICONV_PATH = createRequire(import.meta.url).resolve('iconv-lite');

class DecodeWorker {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { iconv: ICONV_PATH } });
  private readonly waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  private seq = 0;
  /** Blocks this worker transcoded by the two-byte table. */
  tableBlocks = 0;

  constructor() {
    this.worker.on(
      'message',
      (m: { id: number; out?: ArrayBuffer; length?: number; table?: boolean; error?: string }) => {
        const w = this.waiting.get(m.id)!;
        this.waiting.delete(m.id);
        if (m.error !== undefined) w.reject(new Error(`gb18030 decoding failed: ${m.error}`));
        else {
          if (m.table) this.tableBlocks++;
          w.resolve(Buffer.from(m.out!, 0, m.length));
        }
      },
    );
    this.worker.on('error', (err) => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    });
  }

  decode(block: Buffer, first: boolean): Promise<Buffer> {
    const id = this.seq++;
    // a copy the worker may own: block is a view into a buffer this thread still reads from
    const copy = new Uint8Array(block.length);
    copy.set(block);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, block: copy, first }, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
