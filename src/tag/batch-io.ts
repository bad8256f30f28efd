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

/**
 * The results of a run, kept batch by batch (the typed arrays the scorer returned, row numbers mapped to
 * tag_input's) and appended to tag_scored / tag_scope at the end. Kept as pieces rather than one growing array:
 * at 10M orders (13M tag rows) doubling a single array held old and new copies at once, hundreds of MB of peak RSS.
 */
export class ScoredRows {
  private readonly parts: Array<{ rn: Int32Array; tag: Uint8Array; confidence: Float64Array; sources: Uint8Array }> = [];
  private readonly scopeParts: Array<{ rn: Int32Array; rule: Int32Array }> = [];
  /** Orders per tag index. */
  readonly perTag: number[] = [];
  outOfScope = 0;

  add(batch: Pick<PackedBatch, 'n' | 'rn'>, r: ScoredBatch): void {
    const rn = new Int32Array(r.rows);
    for (let k = 0; k < r.rows; k++) {
      rn[k] = batch.rn[r.row[k]];
      this.perTag[r.tag[k]] = (this.perTag[r.tag[k]] ?? 0) + 1;
    }
    this.parts.push({ rn, tag: r.tag.subarray(0, r.rows), confidence: r.confidence.subarray(0, r.rows), sources: r.sources.subarray(0, r.rows) });
    let m = 0;
    for (let i = 0; i < batch.n; i++) if (r.scope[i] >= 0) m++;
    if (m === 0) return;
    const scope = { rn: new Int32Array(m), rule: new Int32Array(m) };
    m = 0;
    for (let i = 0; i < batch.n; i++) {
      if (r.scope[i] < 0) continue;
      scope.rn[m] = batch.rn[i];
      scope.rule[m] = r.scope[i];
      m++;
    }
    this.scopeParts.push(scope);
    this.outOfScope += m;
  }

  async append(conn: DuckDBConnection): Promise<void> {
    await appendParts(conn, 'tag_scored', [INTEGER, UTINYINT, DOUBLE, UTINYINT], this.parts.map((p) => [p.rn, p.tag, p.confidence, p.sources]));
    await appendParts(conn, 'tag_scope', [INTEGER, INTEGER], this.scopeParts.map((p) => [p.rn, p.rule]));
    // DuckDB has them now; let the arrays go before the writes (the counts stay)
    this.parts.length = 0;
    this.scopeParts.length = 0;
  }
}

/** Append pieces of typed columns to a temp table, a data chunk (at most 2048 rows) at a time. */
async function appendParts(conn: DuckDBConnection, table: string, types: DuckDBType[], parts: Array<ArrayLike<number>[]>): Promise<void> {
  if (!parts.some((cols) => cols[0].length > 0)) return;
  const appender = await conn.createAppender(table, null, 'temp');
  const CHUNK = 2048;
  for (const cols of parts) {
    const n = cols[0].length;
    for (let from = 0; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      const chunk = DuckDBDataChunk.create(types, to - from);
      // node-api reads a column as values[i] and .length, which typed arrays provide
      chunk.setColumns(cols.map((c) => (c as Int32Array).subarray(from, to) as unknown as DuckDBValue[]));
      appender.appendDataChunk(chunk);
    }
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
