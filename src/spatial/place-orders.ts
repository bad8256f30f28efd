import { DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBIntegerVector } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { LEVELS, type Level } from './config.js';
import { H3Cache } from './h3-cache.js';
import type { PolygonIndex } from './polygon-index.js';

export type LevelIndexes = Partial<Record<Level, PolygonIndex>>;

const CHUNK = 2048;

export interface PlacedPoints {
  placed: number;
  h3Calls: number;
  msRead: number;
  msCompute: number;
  msAppend: number;
}

/**
 * Read the pending orders' coordinates (temp table place_todo) batch by batch, find the H3 cell and the polygon of
 * every level in JS, and append the answers as integers to temp table place_points (-1 = none), with the H3 cell
 * names in place_cells. Integers go straight into DuckDB vectors: appending strings row by row would cost more than
 * the geometry. After each batch `onBatch(from, to)` resolves and writes orders k in (from, to], and the batch's points
 * are dropped: memory stays bounded by the batch size, not by the number of pending orders.
 */
export async function placePoints(
  store: Store,
  indexes: LevelIndexes,
  resolution: number,
  batchSize: number,
  progress: (done: number, total: number) => void,
  onBatch: (from: number, to: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<PlacedPoints> {
  const maxK = (await store.value<number>('SELECT COALESCE(max(k), 0) FROM place_todo')) ?? 0;
  const levels = LEVELS.map((l) => indexes[l]);
  const h3 = new H3Cache(resolution);
  let placed = 0;
  const chunk = DuckDBDataChunk.create([INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER]);
  const cols = Array.from({ length: 6 }, () => new Int32Array(CHUNK));
  let tRead = 0, tCompute = 0, tAppend = 0;
  let cellsWritten = 0;
  const names = DuckDBDataChunk.create([INTEGER, VARCHAR]);
  // only the H3 names first seen in this batch: the cache hands out ids in order
  const writeNewCells = async () => {
    if (cellsWritten === h3.names.length) return;
    const appender = await store.conn.createAppender('place_cells');
    for (let s = cellsWritten; s < h3.names.length; s += CHUNK) {
      const part = h3.names.slice(s, Math.min(s + CHUNK, h3.names.length));
      names.setColumns([part.map((_, i) => s + i), part]);
      appender.appendDataChunk(names);
    }
    appender.flushSync();
    appender.closeSync();
    cellsWritten = h3.names.length;
  };
  for (let from = 0; from < maxK; from += batchSize) {
    if (signal?.aborted) throw new Error('place: interrupted');
    let t0 = Date.now();
    const reader = await store.conn.runAndReadAll("SELECT k, lon, lat FROM place_todo WHERE k > $from AND k <= $to AND coords = 'ok'", {
      from,
      to: from + batchSize,
    });
    const n = reader.currentRowCount;
    if (n > 0) {
      const [ks, lons, lats] = reader.getColumns() as [number[], number[], number[]];
      tRead += Date.now() - t0;
      t0 = Date.now();
      const appender = await store.conn.createAppender('place_points');
      for (let s = 0; s < n; s += CHUNK) {
        const m = Math.min(CHUNK, n - s);
        for (let r = 0; r < m; r++) {
          const lon = lons[s + r];
          const lat = lats[s + r];
          cols[0][r] = ks[s + r];
          cols[1][r] = h3.lookup(lon, lat);
          for (let l = 0; l < levels.length; l++) cols[2 + l][r] = levels[l]?.locate(lon, lat) ?? -1;
        }
        const t1 = Date.now();
        tCompute += t1 - t0;
        chunk.rowCount = m;
        for (let c = 0; c < 6; c++) {
          const vec = chunk.getColumnVector(c) as DuckDBIntegerVector;
          const col = cols[c];
          for (let r = 0; r < m; r++) vec.setItem(r, col[r]);
          vec.flush();
        }
        appender.appendDataChunk(chunk);
        t0 = Date.now();
        tAppend += t0 - t1;
      }
      appender.flushSync();
      appender.closeSync();
      placed += n;
    }
    await writeNewCells();
    await onBatch(from, from + batchSize);
    await store.exec('DELETE FROM place_points');
    progress(Math.min(from + batchSize, maxK), maxK);
  }
  return { placed, h3Calls: h3.calls, msRead: tRead, msCompute: tCompute, msAppend: tAppend };
}
