import type { Store } from './db.js';
import { sql } from './sql.js';

const UNITS: Record<string, number> = {
  b: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes of a DuckDB memory size as config writes it or DuckDB prints it ('1GB', '953.6 MiB', '0 bytes'); null when
 * it is not one. */
export function memoryBytes(size: string | null | undefined): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(size ?? '');
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : null;
}

/**
 * A size DuckDB reported (it shows memory_limit cut to one decimal, '18.8 GiB' for anything in [18.8, 18.9)) as the
 * middle of what it may have been, so that restoring it neither drifts nor moves it by more than half a step.
 */
function unrounded(size: string): string {
  const m = /^(\d+)(?:\.(\d+))?\s*([a-z]+)$/i.exec(size.trim());
  if (!m?.[2]) return size;
  return `${Number(`${m[1]}.${m[2]}`) + 0.5 * 10 ** -m[2].length} ${m[3]}`;
}

/**
 * Run fn with DuckDB's memory_limit lowered to `lower(current bytes)` (never raised; null keeps it), then restore it.
 * A stage whose SQL shares the process with large JS state, or that would grow DuckDB's buffers towards 80 % of RAM,
 * takes only part of the budget this way.
 */
export async function withMemoryLimit<T>(
  store: Store,
  lower: (currentBytes: number) => string | null,
  fn: () => Promise<T>,
): Promise<T> {
  const current = (await store.value<string>(sql('store/memory_limit.sql'))) ?? '';
  const currentBytes = memoryBytes(current);
  const limit = currentBytes === null ? null : lower(currentBytes);
  const limitBytes = memoryBytes(limit);
  if (limit === null || currentBytes === null || limitBytes === null || !(limitBytes < currentBytes)) return fn();
  await store.exec('SET memory_limit = $limit', { limit });
  try {
    return await fn();
  } finally {
    await store.exec('SET memory_limit = $limit', { limit: unrounded(current) });
  }
}
