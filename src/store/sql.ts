import { readFileSync } from 'node:fs';
import { sqlPath } from './paths.js';

const cache = new Map<string, string>();

/** The text of a file under sql/, e.g. `sql('ingest/merge_orders.sql')`. */
export function sql(rel: string): string {
  let text = cache.get(rel);
  if (text === undefined) {
    text = readFileSync(sqlPath(rel), 'utf8');
    cache.set(rel, text);
  }
  return text;
}

/** Quote a value as a SQL string literal (for identifiers of files and paths that cannot be bound as parameters). */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Quote an identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
