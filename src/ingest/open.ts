import type { Store } from '../store/db.js';
import { readArrow } from './arrow.js';
import { readCsv } from './csv.js';
import type { Format, TextFacts } from './files.js';
import { readJsonl } from './jsonl.js';
import type { Mapping } from './mapping.js';
import { readParquet } from './parquet.js';
import type { Source } from './staging.js';
import { readXlsx, type XlsxLimits } from './xlsx.js';

/** Read one file into the staging view ingest_src (and ingest_unreadable), whatever its format. */
export async function openSource(
  store: Store,
  path: string,
  format: Format,
  mapping: Mapping | undefined,
  text: TextFacts | undefined,
  encoding: 'utf-8' | 'gb18030' | undefined,
  limits: Partial<XlsxLimits> | undefined,
): Promise<Source> {
  switch (format) {
    case 'csv':
      return readCsv(store, path, {
        encoding: encoding ?? text!.encoding,
        delimiter: mapping?.delimiter,
        lines: text!.lines,
      });
    case 'parquet':
      return readParquet(store, path);
    case 'jsonl':
      return readJsonl(store, path);
    case 'xlsx':
      return readXlsx(store, path, mapping?.sheet, limits);
    case 'arrow':
      return readArrow(store, path);
  }
}
