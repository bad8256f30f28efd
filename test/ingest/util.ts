import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Store } from '../../src/store/db.js';
import { createLogger } from '../../src/store/log.js';
import { ingestFiles, type IngestOptions, type IngestSummary } from '../../src/ingest/index.js';

export const SALT = 'test-salt-0123456789';

export function ingest(store: Store, files: string[], opts: Partial<IngestOptions> = {}): Promise<IngestSummary> {
  return ingestFiles(store, files, { salt: SALT, log: createLogger({ test: true }), ...opts });
}

export const HEADER = 'order_id,created_at,category,content';

/** Write a text file (UTF-8, or GBK when asked) and return its path. */
export function writeText(
  dir: string,
  name: string,
  text: string,
  encoding: 'utf8' | 'gbk' | 'utf8bom' = 'utf8',
): string {
  const p = join(dir, name);
  if (encoding === 'gbk') writeFileSync(p, iconv.encode(text, 'gbk'));
  else writeFileSync(p, (encoding === 'utf8bom' ? '\uFEFF' : '') + text);
  return p;
}

export async function orderCount(store: Store): Promise<number> {
  return (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
}

export function arithmetic(s: {
  read: number;
  loaded: number;
  updated: number;
  unchanged: number;
  quarantined: number;
}): boolean {
  return s.read === s.loaded + s.updated + s.unchanged + s.quarantined;
}
