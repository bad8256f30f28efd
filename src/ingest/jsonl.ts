import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Store } from '../store/db.js';
import { ident, lit, sql } from '../store/sql.js';
import { createUnreadable, type Source, TempRowWriter } from './staging.js';

/**
 * JSON Lines: each line goes to a temp table as text with its line number, and DuckDB parses the JSON. A line that
 * is not a JSON object is unreadable (quarantined with its line); blank lines are skipped.
 */
export async function readJsonl(store: Store, path: string): Promise<Source> {
  const w = await TempRowWriter.create(store, 'ingest_jsonl', ['j']);
  try {
    const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let line = 0;
    for await (const text of rl) {
      line++;
      const t = line === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (t.trim()) w.row(line, [t]);
    }
  } finally {
    w.close();
  }
  await createUnreadable(store);
  await store.script(sql('ingest/jsonl_split.sql'));
  const keys = await store.all<{ k: string }>(sql('ingest/jsonl_keys.sql'));
  const headers = keys.map((r) => r.k);
  // ->> gives text for strings and the JSON text of numbers, booleans and nested values
  const cols = headers.map((h) => `j->>${lit('$."' + h.replace(/"/g, '\\"') + '"')} AS ${ident(h)}`).join(', ');
  await store.exec(
    `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT rowid - (SELECT min(rowid) FROM ingest_jsonl_ok) AS _rec, _line${cols ? ', ' + cols : ''} FROM ingest_jsonl_ok`,
  );
  return { headers, linesExact: true, cleanup: () => {} };
}
