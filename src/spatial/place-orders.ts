import { BIGINT, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBValue, type DuckDBVector } from '@duckdb/node-api';
import { sql } from '../store/sql.js';
import type { Store } from '../store/db.js';
import { LEVELS, type Level } from './config.js';
import { H3Cache } from './h3-cache.js';
import type { PolygonIndex } from './polygon-index.js';

export type LevelIndexes = Partial<Record<Level, PolygonIndex>>;

/** Pending orders with rowid in [lo, hi] (n of them). */
export interface Batch {
  lo: number;
  hi: number;
  n: number;
}

const CHUNK = 2048;

export interface PlacedPoints {
  placed: number;
  h3Calls: number;
  msRead: number;
  msCompute: number;
  msAppend: number;
  /** Time the JS pass waited for the previous batch's SQL to finish. */
  msWait: number;
}

/** Block of 2048 rowids and its number of pending orders, in rowid order (sql/spatial/place_batches.sql). */
export interface Block {
  block: number;
  n: number;
}

/**
 * Cut the pending orders into batches of whole 2048-rowid blocks, each holding at most `batchSize` pending orders (or
 * one block, if a block alone holds more).
 */
export function cutBatches(blocks: Block[], batchSize: number): Batch[] {
  const out: Batch[] = [];
  let cur: Batch | null = null;
  for (const { block, n } of blocks) {
    if (cur && cur.n + n > batchSize) {
      out.push(cur);
      cur = null;
    }
    if (!cur) cur = { lo: block * CHUNK, hi: block * CHUNK + CHUNK - 1, n: 0 };
    cur.hi = block * CHUNK + CHUNK - 1;
    cur.n += n;
  }
  if (cur) out.push(cur);
  return out;
}

type Fixed = BigInt64Array | Float64Array | Int32Array;

/**
 * The typed array node-api keeps a fixed-width vector's values in (a field TypeScript calls private; it is what
 * getItem/setItem and flush use): copying whole arrays avoids a call per value. Undefined if this node-api has none.
 */
function itemsOf<T extends Fixed>(vec: DuckDBVector, kind: { new (n: number): T }): T | undefined {
  const items = (vec as unknown as { items?: unknown }).items;
  return items instanceof kind && items.length === vec.itemCount ? (items as T) : undefined;
}

/** Copy a read vector's m values into `to` from position `at`. */
function readInto<T extends Fixed>(vec: DuckDBVector, to: T, at: number, kind: { new (n: number): T }): void {
  const items = itemsOf(vec, kind);
  if (items) to.set(items as never, at);
  else for (let r = 0; r < vec.itemCount; r++) to[at + r] = vec.getItem(r) as never;
}

/** Fill a chunk's vector with from[s, s + itemCount) and flush it. */
function writeFrom<T extends Fixed>(vec: DuckDBVector, from: T, s: number, kind: { new (n: number): T }): void {
  const items = itemsOf(vec, kind);
  if (items) items.set(from.subarray(s, s + items.length) as never);
  else for (let r = 0; r < vec.itemCount; r++) vec.setItem(r, from[s + r] as DuckDBValue);
  vec.flush();
}

/** One batch's points: rowids and coordinates in, H3 cell id and feature position per level (-1 = none) out. */
class Points {
  n = 0;
  k = new BigInt64Array(0);
  lon = new Float64Array(0);
  lat = new Float64Array(0);
  out: Int32Array[] = [];

  /** Room for n points, keeping the first this.n. */
  reserve(n: number): void {
    if (this.k.length >= n) return;
    const size = Math.max(n, Math.ceil(this.k.length * 1.5));
    const grow = <T extends BigInt64Array | Float64Array>(a: T, make: (size: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, this.n) as never);
      return b;
    };
    this.k = grow(this.k, (s) => new BigInt64Array(s));
    this.lon = grow(this.lon, (s) => new Float64Array(s));
    this.lat = grow(this.lat, (s) => new Float64Array(s));
    this.out = Array.from({ length: 1 + LEVELS.length }, () => new Int32Array(size));
  }
}

async function readPoints(store: Store, batch: Batch, mark: number, into: Points): Promise<void> {
  const result = await store.conn.run(sql('spatial/place_coords.sql'), { lo: batch.lo, hi: batch.hi, mark });
  into.n = 0;
  into.reserve(batch.n);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const m = chunk.rowCount;
    into.reserve(into.n + m);
    readInto(chunk.getColumnVector(0), into.k, into.n, BigInt64Array);
    readInto(chunk.getColumnVector(1), into.lon, into.n, Float64Array);
    readInto(chunk.getColumnVector(2), into.lat, into.n, Float64Array);
    into.n += m;
  }
}

function computePoints(p: Points, h3: H3Cache, levels: (PolygonIndex | undefined)[]): void {
  const { lon, lat, out } = p;
  const cells = out[0];
  for (let r = 0; r < p.n; r++) cells[r] = h3.lookup(lon[r], lat[r]);
  for (let l = 0; l < levels.length; l++) {
    const index = levels[l];
    const col = out[1 + l];
    if (!index) col.fill(-1, 0, p.n);
    else for (let r = 0; r < p.n; r++) col[r] = index.locate(lon[r], lat[r]);
  }
}

/**
 * Appends a batch's answers to temp table place_points, and the H3 cell names first seen in it to place_cells (the
 * cache hands out ids in order, so only names past the last written one are new).
 */
class PointWriter {
  private readonly chunk = DuckDBDataChunk.create([BIGINT, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER]);
  private readonly names = DuckDBDataChunk.create([INTEGER, VARCHAR]);
  private cellsWritten = 0;

  constructor(
    private readonly store: Store,
    private readonly h3: H3Cache,
  ) {}

  async write(p: Points): Promise<void> {
    await this.points(p);
    await this.newCells();
  }

  private async newCells(): Promise<void> {
    const { h3, names } = this;
    if (this.cellsWritten === h3.names.length) return;
    const appender = await this.store.conn.createAppender('place_cells');
    for (let s = this.cellsWritten; s < h3.names.length; s += CHUNK) {
      const part = h3.names.slice(s, Math.min(s + CHUNK, h3.names.length));
      names.setColumns([part.map((_, i) => s + i), part]);
      appender.appendDataChunk(names);
    }
    appender.flushSync();
    appender.closeSync();
    this.cellsWritten = h3.names.length;
  }

  private async points(p: Points): Promise<void> {
    if (p.n === 0) return;
    const { chunk } = this;
    const appender = await this.store.conn.createAppender('place_points');
    for (let s = 0; s < p.n; s += CHUNK) {
      const m = Math.min(CHUNK, p.n - s);
      chunk.rowCount = m;
      writeFrom(chunk.getColumnVector(0), p.k, s, BigInt64Array);
      for (let c = 0; c < p.out.length; c++) writeFrom(chunk.getColumnVector(1 + c), p.out[c], s, Int32Array);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
  }
}

/**
 * The JS pass over the pending orders' coordinates, batch by batch: read a batch's coordinates (rowid, lon, lat as
 * typed arrays straight from DuckDB's vectors), find the H3 cell and the polygon of every level, and append the
 * answers as integer vectors to temp table place_points (-1 = none), with the H3 cell names first seen in the batch in
 * place_cells. Then `onBatch(batch)` resolves and writes the batch in SQL, and the batch's points are dropped: memory
 * stays bounded by the batch size, not by the number of pending orders.
 *
 * The two overlap: while DuckDB's threads run batch i's SQL, the JS thread computes batch i+1 (it was read before
 * batch i's SQL started; the connection runs one statement at a time), so both cores work on a two-core machine.
 */
export async function placePoints(
  store: Store,
  indexes: LevelIndexes,
  resolution: number,
  batches: Batch[],
  mark: number,
  progress: (done: number, total: number) => void,
  onBatch: (batch: Batch) => Promise<void>,
  signal?: AbortSignal,
): Promise<PlacedPoints> {
  const levels = LEVELS.map((l) => indexes[l]);
  const h3 = new H3Cache(resolution);
  const writer = new PointWriter(store, h3);
  const total = batches.reduce((s, b) => s + b.n, 0);
  const t = { placed: 0, done: 0, read: 0, compute: 0, append: 0, wait: 0 };
  const timed = async (key: 'read' | 'compute' | 'append' | 'wait', fn: () => unknown) => {
    const t0 = Date.now();
    await fn();
    t[key] += Date.now() - t0;
  };

  // one batch's points: batch i+1 is read only after batch i's answers are in place_points
  const points = new Points();
  let sqlDone: Promise<void> = Promise.resolve();
  if (batches.length > 0) await timed('read', () => readPoints(store, batches[0], mark, points));
  try {
    for (let b = 0; b < batches.length; b++) {
      if (signal?.aborted) throw new Error('place: interrupted');
      await timed('compute', () => computePoints(points, h3, levels));
      await timed('wait', () => sqlDone);
      await timed('append', () => writer.write(points));
      t.placed += points.n;
      if (b + 1 < batches.length) await timed('read', () => readPoints(store, batches[b + 1], mark, points));
      const batch = batches[b];
      sqlDone = (async () => {
        await onBatch(batch);
        await store.exec('DELETE FROM place_points');
        t.done += batch.n;
        progress(t.done, total);
      })();
      // awaited at the next batch (or below); never left unhandled meanwhile
      sqlDone.catch(() => {});
    }
  } catch (err) {
    // never leave a statement running on the connection: the caller's ROLLBACK comes next
    await sqlDone.catch(() => {});
    throw err;
  }
  await sqlDone;
  return {
    placed: t.placed,
    h3Calls: h3.calls,
    msRead: t.read,
    msCompute: t.compute,
    msAppend: t.append,
    msWait: t.wait,
  };
}
