import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';

const UNITS: Record<string, number> = {
  bytes: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** Bytes of a size as DuckDB prints a setting ('953.6 MiB', '18.8 GiB', '0 bytes'); null when not one. */
export function sizeBytes(text: string | null | undefined): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text ?? '');
  const unit = m ? UNITS[m[2]] : undefined;
  return m && unit ? Number(m[1]) * unit : null;
}

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
export async function withHalfMemory<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  const limit = await store.value<string>(sql('detect/memory_limit.sql'));
  const bytes = sizeBytes(limit);
  if (!limit || !bytes) return fn();
  const half = halfLimit(bytes);
  if (half >= bytes) return fn();
  await store.exec('SET memory_limit = $limit', { limit: `${Math.floor(half / 2 ** 20)}MiB` });
  try {
    return await fn();
  } finally {
    await store.exec('SET memory_limit = $limit', { limit });
  }
}
