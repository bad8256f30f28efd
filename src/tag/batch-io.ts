/**
 * Moving the tag stage's data between DuckDB and JS in bulk. Reading a VARCHAR through node-api decodes it to a
 * JS string on the main thread (~4 s per million contents) and appending wide VARCHAR rows costs as much again;
 * instead the scorer reads row numbers, small codes and the content's raw UTF-8 bytes, and writes typed rows in
 * whole data chunks.
 */
import duckdb from '@duckdb/node-bindings';
import { DOUBLE, DuckDBDataChunk, INTEGER, UTINYINT, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { PackedBatch, ScoredBatch } from './score-batch.js';

/**
 * Stream a query of (rn INTEGER, content BLOB, category INTEGER, flags UTINYINT), none of them NULL, as packed
 * batches of up to `size` orders. Each batch owns its buffers, so they can be transferred to a worker. `params`
 * binds the query's named parameters.
 *
 * The joins' build sides are kept as written: score_read.sql joins the orders (with their contents) to the narrow
 * tag_input, and DuckDB's build/probe choice would hash the orders side, holding every content in a hash table
 * (memory, and twice the time), instead of streaming the contents past a hash of tag_input. The setting goes back
 * only once the stream is consumed: any other statement on the connection would end the stream early, silently.
 *
 * The columns are read from the chunks' raw vectors (node-bindings, the C API) rather than value by value: a
 * BLOB item fetched on its own is one native call and one allocation (1.4 µs, a third of the stage's read), while
 * DuckDB writes a chunk's computed payloads one after another into its string heap, so a run of them is fetched
 * with one call (see copyPayloads).
 */
export async function* readPacked(
  conn: DuckDBConnection,
  sql: string,
  size: number,
  params?: Record<string, number>,
): AsyncGenerator<PackedBatch> {
  let asWritten = false;
  try {
    await conn.run("SET disabled_optimizers = 'build_side_probe_side'");
    asWritten = true;
  } catch {
    // a DuckDB without that optimizer: plan as it likes
  }
  try {
    const result = await conn.stream(sql, params);
    let b = newBuilder(size);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      const raw = chunk.chunk;
      const rn = vectorInts(raw, 0, n, Int32Array);
      const category = vectorInts(raw, 2, n, Int32Array);
      const flags = vectorInts(raw, 3, n, Uint8Array);
      const content = stringsOf(raw, 1, n);
      let r = 0;
      while (r < n) {
        const take = Math.min(n - r, size - b.n);
        b.addRows(rn, category, flags, content, r, r + take);
        r += take;
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

/** Column `col` of a raw chunk as a typed array over its first n values (a copy: the chunk's memory is DuckDB's). */
function vectorInts<T extends Int32Array | Uint8Array>(
  chunk: duckdb.DataChunk,
  col: number,
  n: number,
  Type: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
): T {
  const data = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, col), n * Type.BYTES_PER_ELEMENT);
  return new Type(data.buffer as ArrayBuffer, data.byteOffset, n).slice() as T;
}

/** A VARCHAR/BLOB column of a raw chunk: its string_t array (16 bytes per row) and validity mask (null: all valid). */
interface StringColumn {
  data: Uint8Array;
  view: DataView;
  validity: Uint8Array | null;
}

function stringsOf(chunk: duckdb.DataChunk, col: number, n: number): StringColumn {
  const vector = duckdb.data_chunk_get_vector(chunk, col);
  const data = duckdb.vector_get_data(vector, n * 16);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8);
  return { data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), validity: validity ?? null };
}

/**
 * A string_t is {uint32 length; 12 bytes inline} when the length is ≤ 12, else {uint32 length; 4-byte prefix;
 * pointer}. Call `emit(offset, length)` for the byte ranges holding rows [from, to)'s payloads in order, where a
 * range is either one inline payload (offset into `data`, pointer = false) or a run of out-of-line payloads that
 * sit back to back in memory (the first row's string_t offset, pointer = true): each range is exactly the bytes of
 * its payloads, so nothing outside them is ever read. A NULL reads as empty.
 */
function payloadRuns(
  s: StringColumn,
  from: number,
  to: number,
  len: Int32Array,
  emit: (at: number, bytes: number, pointer: boolean) => void,
): void {
  const { view, validity } = s;
  let runAt = -1;
  let runBytes = 0;
  let runEnd = 0; // address just past the run's last payload
  for (let r = from; r < to; r++) {
    const valid = validity === null || (validity[r >> 3] & (1 << (r & 7))) !== 0;
    const n = valid ? view.getUint32(r * 16, true) : 0;
    len[r - from] = n;
    if (n <= 12) {
      if (runAt >= 0) emit(runAt, runBytes, true);
      runAt = -1;
      if (n > 0) emit(r * 16 + 4, n, false);
      continue;
    }
    // x86-64 and arm64 user addresses are below 2^48: exact as a double
    const address = view.getUint32(r * 16 + 12, true) * 4294967296 + view.getUint32(r * 16 + 8, true);
    if (runAt >= 0 && address === runEnd) {
      runBytes += n;
    } else {
      if (runAt >= 0) emit(runAt, runBytes, true);
      runAt = r * 16 + 8;
      runBytes = n;
    }
    runEnd = address + n;
  }
  if (runAt >= 0) emit(runAt, runBytes, true);
}

function newBuilder(size: number) {
  const rn = new Int32Array(size);
  const category = new Int32Array(size);
  const flags = new Uint8Array(size);
  const offsets = new Int32Array(size + 1);
  let len = new Int32Array(2048);
  let bytes = new Uint8Array(size * 320);
  let used = 0;
  const reserve = (extra: number) => {
    if (used + extra <= bytes.length) return;
    const grown = new Uint8Array(Math.max(bytes.length * 2, used + extra));
    grown.set(bytes.subarray(0, used));
    bytes = grown;
  };
  return {
    n: 0,
    /** Rows [from, to) of a chunk's columns. */
    addRows(r: Int32Array, c: Int32Array, f: Uint8Array, content: StringColumn, from: number, to: number) {
      const m = to - from;
      rn.set(r.subarray(from, to), this.n);
      category.set(c.subarray(from, to), this.n);
      flags.set(f.subarray(from, to), this.n);
      if (len.length < m) len = new Int32Array(m);
      const { data } = content;
      payloadRuns(content, from, to, len, (at, count, pointer) => {
        reserve(count);
        bytes.set(
          pointer
            ? duckdb.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + at, count)
            : data.subarray(at, at + count),
          used,
        );
        used += count;
      });
      let o = offsets[this.n];
      for (let k = 0; k < m; k++) {
        o += len[k];
        offsets[this.n + k + 1] = o;
      }
      this.n += m;
    },
    finish(): PackedBatch {
      const n = this.n;
      return {
        n,
        rn: rn.slice(0, n),
        category: category.slice(0, n),
        flags: flags.slice(0, n),
        bytes: bytes.slice(0, used),
        offsets: offsets.slice(0, n + 1),
      };
    },
  };
}

/**
 * The results of a page of targets, kept batch by batch (the typed arrays the scorer returned, row numbers mapped to
 * tag_input's) until append() moves them to tag_scored / tag_scope; the counts add up over the whole run. Kept as
 * pieces rather than one growing array, which when doubled holds old and new copies at once.
 */
export class ScoredRows {
  private readonly parts: Array<{ rn: Int32Array; tag: Uint8Array; confidence: Float64Array; sources: Uint8Array }> =
    [];
  private readonly scopeParts: Array<{ rn: Int32Array; rule: Int32Array }> = [];
  /** Orders per tag index. */
  readonly perTag: number[] = [];
  outOfScope = 0;
  /** Tag rows held now, and the most held at once over the run (what paging bounds). */
  private held = 0;
  mostHeld = 0;

  add(batch: Pick<PackedBatch, 'n' | 'rn'>, r: ScoredBatch): void {
    this.held += r.rows;
    this.mostHeld = Math.max(this.mostHeld, this.held);
    const rn = new Int32Array(r.rows);
    for (let k = 0; k < r.rows; k++) {
      rn[k] = batch.rn[r.row[k]];
      this.perTag[r.tag[k]] = (this.perTag[r.tag[k]] ?? 0) + 1;
    }
    this.parts.push({
      rn,
      tag: r.tag.subarray(0, r.rows),
      confidence: r.confidence.subarray(0, r.rows),
      sources: r.sources.subarray(0, r.rows),
    });
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
    await appendParts(
      conn,
      'tag_scored',
      [INTEGER, UTINYINT, DOUBLE, UTINYINT],
      this.parts.map((p) => [p.rn, p.tag, p.confidence, p.sources]),
    );
    await appendParts(
      conn,
      'tag_scope',
      [INTEGER, INTEGER],
      this.scopeParts.map((p) => [p.rn, p.rule]),
    );
    // DuckDB has them now; let the arrays go before the writes (the counts stay)
    this.parts.length = 0;
    this.scopeParts.length = 0;
    this.held = 0;
  }
}

/** Typed arrays the scorer's results come in; each is copied into a DuckDB vector of the same width. */
type Column = Int32Array | Uint8Array | Float64Array;
const WIDTH = new Map<DuckDBType, number>([
  [INTEGER, 4],
  [UTINYINT, 1],
  [DOUBLE, 8],
]);

/**
 * Append pieces of typed columns to a temp table, a data chunk (at most 2048 rows) at a time. The values are copied
 * straight into the chunk's vectors (node-bindings, the C API): node-api's setColumns writes value by value, which
 * for the 1.8M tag rows of 1M orders was ~0.4 s of main-thread time after the workers had finished. The column
 * types must match the arrays' element widths (INTEGER ↔ Int32Array, UTINYINT ↔ Uint8Array, DOUBLE ↔ Float64Array).
 */
async function appendParts(
  conn: DuckDBConnection,
  table: string,
  types: DuckDBType[],
  parts: Column[][],
): Promise<void> {
  if (!parts.some((cols) => cols[0].length > 0)) return;
  for (const cols of parts)
    cols.forEach((col, c) => {
      if (WIDTH.get(types[c]) !== col.BYTES_PER_ELEMENT)
        throw new Error(`appendParts ${table}: column ${c} is ${types[c]}, not ${col.constructor.name}`);
    });
  const appender = await conn.createAppender(table, null, 'temp');
  const CHUNK = duckdb.vector_size();
  for (const cols of parts) {
    const n = cols[0].length;
    for (let from = 0; from < n; from += CHUNK) {
      const to = Math.min(n, from + CHUNK);
      const chunk = DuckDBDataChunk.create(types);
      const raw = chunk.chunk;
      cols.forEach((col, c) => {
        const bytes = (to - from) * col.BYTES_PER_ELEMENT;
        duckdb.copy_data_to_vector(
          duckdb.data_chunk_get_vector(raw, c),
          0,
          col.buffer as ArrayBuffer,
          col.byteOffset + from * col.BYTES_PER_ELEMENT,
          bytes,
        );
      });
      duckdb.data_chunk_set_size(raw, to - from);
      appender.appendDataChunk(chunk);
    }
  }
  appender.flushSync();
  appender.closeSync();
}

/** Append rows of strings (small dictionaries: labels, bounced departments). */
export async function appendRows(
  conn: DuckDBConnection,
  table: string,
  rows: Array<Array<string | number>>,
): Promise<void> {
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
