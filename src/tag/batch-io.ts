/**
 * Moving the tag stage's data between DuckDB and JS in bulk. Reading a VARCHAR through node-api decodes it to a
 * JS string on the main thread (~4 s per million contents) and appending wide VARCHAR rows costs as much again;
 * instead the scorer reads row numbers, small codes and the content's raw UTF-8 bytes, and writes typed rows in
 * whole data chunks.
 */
import {
  DOUBLE,
  DuckDBBlobVector,
  DuckDBDataChunk,
  INTEGER,
  UTINYINT,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
} from '@duckdb/node-api';
import type { PackedBatch, ScoredBatch } from './score-batch.js';

/**
 * Stream a query of (rn INTEGER, content BLOB, category INTEGER, flags UTINYINT) as packed batches of up to
 * `size` orders. Each batch owns its buffers, so they can be transferred to a worker.
 *
 * The joins' build sides are kept as written: score_read.sql joins the orders (with their contents) to the narrow
 * tag_input, and DuckDB's build/probe choice would hash the orders side, holding every content in a hash table
 * (memory, and twice the time), instead of streaming the contents past a hash of tag_input. The setting goes back
 * only once the stream is consumed: any other statement on the connection would end the stream early, silently.
 */
export async function* readPacked(conn: DuckDBConnection, sql: string, size: number): AsyncGenerator<PackedBatch> {
  let asWritten = false;
  try {
    await conn.run("SET disabled_optimizers = 'build_side_probe_side'");
    asWritten = true;
  } catch {
    // a DuckDB without that optimizer: plan as it likes
  }
  try {
    const result = await conn.stream(sql);
    let b = newBuilder(size);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const rn = chunk.getColumnVector(0) as DuckDBVector<number>;
      const content = chunk.getColumnVector(1) as DuckDBBlobVector;
      const category = chunk.getColumnVector(2) as DuckDBVector<number>;
      const flags = chunk.getColumnVector(3) as DuckDBVector<number>;
      for (let r = 0; r < chunk.rowCount; r++) {
        const bytes = content.getItemBytes(r) ?? new Uint8Array(0);
        b.add(rn.getItem(r) as number, category.getItem(r) as number, flags.getItem(r) as number, bytes);
        if (b.n === size) {
          yield b.finish();
          b = newBuilder(size);
        }
      }
    }
    if (b.n > 0) yield b.finish();
  } finally {
    if (asWritten) await conn.run('RESET disabled_optimizers');
  }
}

function newBuilder(size: number) {
  const rn = new Int32Array(size);
  const category = new Int32Array(size);
  const flags = new Uint8Array(size);
  const offsets = new Int32Array(size + 1);
  let bytes = new Uint8Array(size * 320);
  let used = 0;
  return {
    n: 0,
    add(r: number, c: number, f: number, content: Uint8Array) {
      if (used + content.length > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, used + content.length));
        grown.set(bytes.subarray(0, used));
        bytes = grown;
      }
      bytes.set(content, used);
      rn[this.n] = r;
      category[this.n] = c;
      flags[this.n] = f;
      offsets[this.n] = used;
      used += content.length;
      this.n++;
      offsets[this.n] = used;
    },
    finish(): PackedBatch {
      const n = this.n;
      return { n, rn: rn.slice(0, n), category: category.slice(0, n), flags: flags.slice(0, n), bytes: bytes.slice(0, used), offsets: offsets.slice(0, n + 1) };
    },
  };
}

/** A growable set of typed columns (the scored rows of a run: a few bytes per order). */
class Columns {
  n = 0;
  constructor(public cols: Array<Int32Array | Uint8Array | Float64Array>) {}
  reserve(extra: number): void {
    if (this.n + extra <= this.cols[0].length) return;
    const cap = Math.max(this.cols[0].length * 2, this.n + extra);
    this.cols = this.cols.map((c) => {
      const g = new (c.constructor as new (n: number) => typeof c)(cap);
      g.set(c.subarray(0, this.n));
      return g;
    });
  }
}

/** The results of a run, gathered batch by batch and appended to tag_scored / tag_scope at the end. */
export class ScoredRows {
  readonly tags = new Columns([new Int32Array(1024), new Uint8Array(1024), new Float64Array(1024), new Uint8Array(1024)]);
  readonly scope = new Columns([new Int32Array(64), new Int32Array(64)]);
  /** Orders per tag index. */
  readonly perTag: number[] = [];
  outOfScope = 0;

  add(batch: Pick<PackedBatch, 'n' | 'rn'>, r: ScoredBatch): void {
    const t = this.tags;
    t.reserve(r.rows);
    const [rn, tag, conf, src] = t.cols;
    for (let k = 0; k < r.rows; k++) {
      rn[t.n] = batch.rn[r.row[k]];
      tag[t.n] = r.tag[k];
      conf[t.n] = r.confidence[k];
      src[t.n] = r.sources[k];
      t.n++;
      this.perTag[r.tag[k]] = (this.perTag[r.tag[k]] ?? 0) + 1;
    }
    const s = this.scope;
    for (let i = 0; i < batch.n; i++) {
      if (r.scope[i] < 0) continue;
      s.reserve(1);
      s.cols[0][s.n] = batch.rn[i];
      s.cols[1][s.n] = r.scope[i];
      s.n++;
      this.outOfScope++;
    }
  }

  async append(conn: DuckDBConnection): Promise<void> {
    await appendColumns(conn, 'tag_scored', [INTEGER, UTINYINT, DOUBLE, UTINYINT], this.tags.cols, this.tags.n);
    await appendColumns(conn, 'tag_scope', [INTEGER, INTEGER], this.scope.cols, this.scope.n);
  }
}

/** Append n rows of typed columns to a temp table, a data chunk (2048 rows) at a time. */
async function appendColumns(conn: DuckDBConnection, table: string, types: DuckDBType[], cols: ArrayLike<number>[], n: number): Promise<void> {
  if (n === 0) return;
  const appender = await conn.createAppender(table, null, 'temp');
  const CHUNK = 2048;
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    const chunk = DuckDBDataChunk.create(types, to - from);
    // node-api reads a column as values[i] and .length, which typed arrays provide
    chunk.setColumns(cols.map((c) => (c as Int32Array).subarray(from, to) as unknown as DuckDBValue[]));
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
}

/** Append rows of strings (small dictionaries: labels, bounced departments). */
export async function appendRows(conn: DuckDBConnection, table: string, rows: Array<Array<string | number>>): Promise<void> {
  if (rows.length === 0) return;
  const appender = await conn.createAppender(table, null, 'temp');
  for (const row of rows) {
    for (const v of row) {
      if (typeof v === 'number') appender.appendInteger(v);
      else appender.appendVarchar(v);
    }
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}
