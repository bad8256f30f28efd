import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { ident, lit, sql } from '../store/sql.js';
import { documentRecords, jsonLayout, NoRecords, NotADocument } from './json-doc.js';
import { createUnreadable, type Source, TempRowWriter } from './staging.js';

/**
 * JSON Lines: each line goes to a temp table as text with its line number, and DuckDB parses the JSON. A line that
 * is not a JSON object is unreadable (quarantined with its line); blank lines are skipped. A file that is one JSON
 * document of records instead (a bare array, or Open311's `{"service_requests": [...]}`, as city APIs return them)
 * gives each record with the line it starts on, and goes the same way from there.
 */
export async function readJsonl(store: Store, path: string): Promise<Source> {
  const layout = await jsonLayout(path);
  const document = layout !== 'lines' && (await readDocument(store, path, layout));
  if (!document) await readLines(store, path);
  await createUnreadable(store);
  await store.script(sql('ingest/jsonl_split.sql'));
  const keys = await store.all<{ k: string }>(sql('ingest/jsonl_keys.sql'));
  const headers = keys.map((r) => r.k);
  if (!headers.length) await noObjects(store, path);
  // ->> gives text for strings and the JSON text of numbers, booleans and nested values
  const cols = headers.map((h) => `j->>${lit('$."' + h.replace(/"/g, '\\"') + '"')} AS ${ident(h)}`).join(', ');
  await store.exec(
    `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT rowid - (SELECT min(rowid) FROM ingest_jsonl_ok) AS _rec, _line${cols ? ', ' + cols : ''} FROM ingest_jsonl_ok`,
  );
  return { headers, format: document ? 'json' : 'jsonl', linesExact: true, cleanup: () => {} };
}

/**
 * The format a file of the JSON reader is reported as before (or without) reading it — skipped as loaded before,
 * set aside, holding no records: 'json' when it opens as one document (a bare array or a wrapper object), else
 * 'jsonl'. (A file opening with an object that is no document after all, a JSON Lines file whose first line is cut,
 * is read as lines; its load reports 'jsonl'.)
 */
export async function jsonFormat(path: string): Promise<'json' | 'jsonl'> {
  try {
    return (await jsonLayout(path)) === 'lines' ? 'jsonl' : 'json';
  } catch {
    return 'jsonl';
  }
}

async function readLines(store: Store, path: string): Promise<void> {
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
}

/**
 * The records of a JSON document; false when a file that opens with an object is no such document after all (a JSON
 * Lines file whose first line is cut), which is then read line by line. A broken array is refused whole.
 */
async function readDocument(store: Store, path: string, layout: 'array' | 'object'): Promise<boolean> {
  const w = await TempRowWriter.create(store, 'ingest_jsonl', ['j']);
  let records = 0;
  try {
    for await (const r of documentRecords(path)) {
      w.row(r.line, [r.text]);
      records++;
    }
  } catch (err) {
    if (!(err instanceof NotADocument)) throw err;
    if (layout === 'array') throw new UserError(`${path}：${err.message}`);
    return false;
  } finally {
    w.close();
  }
  if (!records) throw new NoRecords(`${path}：JSON 文档中没有记录`);
  return true;
}

/**
 * A file in which no line is a JSON object (cut mid-object, or not JSON Lines at all) has no columns: say which line
 * is not JSON, one line naming the file, instead of "no column for order_id (the file has: )".
 */
async function noObjects(store: Store, path: string): Promise<void> {
  const r = await store.one<{ line: number | null; n: number }>(
    'SELECT min(line)::INTEGER AS line, count(*)::INTEGER AS n FROM ingest_unreadable',
  );
  if (!r || r.line === null) return;
  const more = r.n > 1 ? `（共 ${r.n} 行不可读，没有一行是 JSON 对象）` : '';
  throw new UserError(`${path}：第 ${r.line} 行：不是有效的 JSON 对象${more}`);
}
