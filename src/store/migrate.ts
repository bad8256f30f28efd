import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlPath } from './paths.js';
import { sql } from './sql.js';
import type { Store } from './db.js';

export interface Migration {
  version: number;
  name: string;
  file: string;
}

/**
 * Schema migrations are the files sql/schema/NNNN_name.sql, applied once each in version order and recorded in
 * schema_migrations. Each stage owns a range of versions (see sql/schema/README.md) so stages never collide.
 */
export function listMigrations(): Migration[] {
  const dir = sqlPath('schema');
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), file: join(dir, f) }))
    .sort((a, b) => a.version - b.version);
}

export async function migrate(store: Store): Promise<Migration[]> {
  await store.exec(sql('store/schema_migrations.sql'));
  const done = new Set(
    (await store.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  const applied: Migration[] = [];
  for (const m of listMigrations()) {
    if (done.has(m.version)) continue;
    const text = readFileSync(m.file, 'utf8');
    await store.tx(async () => {
      await store.exec(text);
      await store.exec('INSERT INTO schema_migrations (version, name) VALUES ($v, $n)', { v: m.version, n: m.name });
    });
    applied.push(m);
  }
  // Views hold no data, so they are simply recreated on every open, after all tables exist.
  const viewDir = sqlPath('views');
  for (const f of readdirSync(viewDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    await store.exec(readFileSync(join(viewDir, f), 'utf8'));
  }
  return applied;
}
