import type { Store } from '../store/db.js';
import { withMemoryLimit } from '../store/memory.js';

/** Below this DuckDB keeps the store's whole limit: a small limit is already a deliberate ceiling (a small machine,
 * the memory guard's test), and halving it would fail queries the ceiling was set to allow. */
const HALF_FLOOR = 512 * 2 ** 20;

/** The limit detection's SQL runs under: half the store's, but not below HALF_FLOOR unless the store's is lower. */
export function halfLimit(bytes: number): number {
  return Math.max(bytes / 2, Math.min(bytes, HALF_FLOOR));
}

/**
 * Run fn with DuckDB's memory limit at half the store's, then put the store's back. Detection's SQL runs in the same
 * process as the series its JS side holds (and, until the collector runs, the previous run's), so DuckDB may take
 * only part of the process's budget: with the store's whole 1 GB it grew to it while the JS side held ~0.7 GB, and a
 * 1,000-小类 × 300-street city peaked at 2.2 GB. Beyond its half DuckDB spills to disk (the aggregations group
 * numbers, so a half is plenty: see weekly_counts.sql).
 */
export function withHalfMemory<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  return withMemoryLimit(
    store,
    (bytes) => (halfLimit(bytes) < bytes ? `${Math.floor(halfLimit(bytes) / 2 ** 20)}MiB` : null),
    fn,
  );
}
