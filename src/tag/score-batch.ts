/**
 * Scoring a batch of orders in the compact form the stage moves between DuckDB, the main thread and the scoring
 * workers: content as packed UTF-8 bytes, everything else as small integers, results as typed arrays. The same
 * function runs on the main thread (small runs) and in the workers (large runs), so the two cannot diverge.
 */
import type { OrderEvidence, Tagger } from './tagger.js';

/** Structure bits of an order (see PackedBatch.flags). */
export const REDISPATCHED = 1;
export const REOPENED = 2;
export const AFTER_CLOSE = 4;

export interface PackedBatch {
  n: number;
  /** Row number of each order in tag_input. */
  rn: Int32Array;
  /** Index of the order's category in the stage's category list. */
  category: Int32Array;
  /** REDISPATCHED | REOPENED | AFTER_CLOSE. */
  flags: Uint8Array;
  /** Content of order i is bytes[offsets[i] .. offsets[i + 1]) (UTF-8). */
  bytes: Uint8Array;
  offsets: Int32Array;
}

export interface ScoredBatch {
  /** Tag rows: the order's position in the batch, tag index (Tagger.labels), rounded confidence, sources code. */
  rows: number;
  row: Int32Array;
  tag: Uint8Array;
  confidence: Float64Array;
  sources: Uint8Array;
  /** Per order: index of the scope rule that put it out of scope, or -1. */
  scope: Int32Array;
}

/**
 * UTF-8 → strings, several times faster than Node's UTF-8 decoder on CJK text (~200 MB/s; it was a third of
 * the stage): decode by hand into a UTF-16 code-unit buffer, then cut the strings with the UTF-16 decoder.
 * DuckDB only holds valid UTF-8; should a text still hold an invalid sequence, that text goes through
 * TextDecoder, so the result is always exactly TextDecoder's (test/tag/batch.test.ts compares them).
 */
export class Utf8Decoder {
  private units = new Uint16Array(1 << 16);
  private readonly fallback = new TextDecoder();

  /** Strings for the n packed texts. */
  decodeAll(bytes: Uint8Array, offsets: Int32Array, n: number): string[] {
    if (this.units.length < bytes.length) this.units = new Uint16Array(bytes.length);
    const u = this.units;
    const starts = new Int32Array(n + 1);
    let bad: number[] | null = null;
    let q = 0;
    for (let i = 0; i < n; i++) {
      starts[i] = q;
      const end = offsets[i + 1];
      let j = offsets[i];
      while (j < end) {
        const b = bytes[j];
        if (b < 0x80) {
          u[q++] = b;
          j++;
          continue;
        }
        let cp = -1;
        let len = 0;
        if (b >= 0xe0 && b < 0xf0) {
          if (j + 2 < end && (bytes[j + 1] & 0xc0) === 0x80 && (bytes[j + 2] & 0xc0) === 0x80) {
            cp = ((b & 0x0f) << 12) | ((bytes[j + 1] & 0x3f) << 6) | (bytes[j + 2] & 0x3f);
            len = 3;
            if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) cp = -1;
          }
        } else if (b >= 0xc2 && b < 0xe0) {
          if (j + 1 < end && (bytes[j + 1] & 0xc0) === 0x80) {
            cp = ((b & 0x1f) << 6) | (bytes[j + 1] & 0x3f);
            len = 2;
          }
        } else if (b >= 0xf0 && b < 0xf5) {
          if (
            j + 3 < end &&
            (bytes[j + 1] & 0xc0) === 0x80 &&
            (bytes[j + 2] & 0xc0) === 0x80 &&
            (bytes[j + 3] & 0xc0) === 0x80
          ) {
            cp =
              ((b & 0x07) << 18) | ((bytes[j + 1] & 0x3f) << 12) | ((bytes[j + 2] & 0x3f) << 6) | (bytes[j + 3] & 0x3f);
            len = 4;
            if (cp < 0x10000 || cp > 0x10ffff) cp = -1;
          }
        }
        if (cp < 0) {
          (bad ??= []).push(i);
          break;
        }
        if (cp < 0x10000) u[q++] = cp;
        else {
          u[q++] = 0xd800 + ((cp - 0x10000) >> 10);
          u[q++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        }
        j += len;
      }
    }
    starts[n] = q;
    const buf = Buffer.from(u.buffer, u.byteOffset, q * 2);
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = buf.toString('utf16le', starts[i] * 2, starts[i + 1] * 2);
    if (bad) for (const i of bad) out[i] = this.fallback.decode(bytes.subarray(offsets[i], offsets[i + 1]));
    return out;
  }
}

/** Tags and scope for every order of the batch. `categories` names the category indexes. */
export function scoreBatch(
  tagger: Tagger,
  categories: readonly string[],
  batch: PackedBatch,
  decoder: Utf8Decoder,
): ScoredBatch {
  const { n, flags } = batch;
  const content = decoder.decodeAll(batch.bytes, batch.offsets, n);
  // Most orders get one or two tags; grown when a batch needs more.
  let cap = Math.max(16, Math.ceil(n * 1.6));
  let row = new Int32Array(cap);
  let tag = new Uint8Array(cap);
  let confidence = new Float64Array(cap);
  let sources = new Uint8Array(cap);
  const scope = new Int32Array(n);
  let rows = 0;
  let i = 0;
  const emit = (t: number, p: number, s: number) => {
    if (rows === cap) {
      cap *= 2;
      const r2 = new Int32Array(cap);
      r2.set(row);
      row = r2;
      const t2 = new Uint8Array(cap);
      t2.set(tag);
      tag = t2;
      const c2 = new Float64Array(cap);
      c2.set(confidence);
      confidence = c2;
      const s2 = new Uint8Array(cap);
      s2.set(sources);
      sources = s2;
    }
    row[rows] = i;
    tag[rows] = t;
    confidence[rows] = Math.round(p * 1e4) / 1e4;
    sources[rows] = s;
    rows++;
  };
  // Structure in the form Tagger.evidence reads it: the stage folded "dispatched ≥ 2 times or bounced between
  // departments" into REDISPATCHED, so a dispatch count of 2 stands for it and dept is left out.
  const o: OrderEvidence = {
    content: '',
    category: '',
    dispatchCount: null,
    reopened: null,
    dept: null,
    repeatAfterClose: false,
  };
  for (i = 0; i < n; i++) {
    const f = flags[i];
    o.content = content[i];
    o.category = categories[batch.category[i]];
    o.dispatchCount = f & REDISPATCHED ? 2 : 0;
    o.reopened = (f & REOPENED) !== 0;
    o.repeatAfterClose = (f & AFTER_CLOSE) !== 0;
    scope[i] = tagger.eachCodeAndScope(o, emit);
  }
  return {
    rows,
    row: row.slice(0, rows),
    tag: tag.slice(0, rows),
    confidence: confidence.slice(0, rows),
    sources: sources.slice(0, rows),
    scope,
  };
}
