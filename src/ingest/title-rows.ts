import { UserError } from '../store/errors.js';
import { autoMapping, resolveMapping, type Mapping } from './mapping.js';
import { uniqueHeaders } from './staging.js';

/**
 * Rows a file may carry above its header (an office export's merged title 'XX市12345热线工单明细表（2022年12月）', a
 * date line, a blank line): the header is looked for among the first this many rows and the one after them.
 */
export const MAX_TITLE_ROWS = 5;

/** Whether one row, read as a header, names every required field. */
export type HeaderTest = (cells: Array<string | null | undefined>) => boolean;

/** One row skipped above the header: its line (row) in the file and its text, for the warning. */
export interface TitleRow {
  line: number;
  text: string;
}

/**
 * The header rule: a row names every required field through the mapping given, or without one through the canonical
 * headers or the preset — exactly what the load then requires of the header it uses (resolveMapping).
 */
export function headerTest(forced: Mapping | undefined): HeaderTest {
  return (cells) => {
    const headers = uniqueHeaders(cells);
    return resolves(headers, forced ?? autoMapping(headers));
  };
}

function resolves(headers: string[], mapping: Mapping): boolean {
  try {
    resolveMapping('', headers, mapping);
    return true;
  } catch (err) {
    if (err instanceof UserError) return false;
    throw err;
  }
}

/**
 * The header's place among a file's first rows: the first that names the required fields; the first row when none
 * does, so that the error names what that row lacks, as it did before title rows were looked past.
 */
export function headerIndex(rows: Array<Array<string | null | undefined>>, isHeader: HeaderTest): number {
  const n = Math.min(rows.length, MAX_TITLE_ROWS + 1);
  for (let i = 0; i < n; i++) if (isHeader(rows[i])) return i;
  return 0;
}

/** A skipped row as the warning quotes it: its non-empty cells, long digit runs (a phone number) masked, cut short. */
export function titleText(cells: Array<string | null | undefined>): string {
  const text = cells
    .map((c) => String(c ?? '').trim())
    .filter((c) => c !== '')
    .join(' ')
    .replace(/\d{7,}/g, '****');
  return text.length > 40 ? text.slice(0, 40) + '…' : text;
}

/** The load's warning naming the rows skipped above the header. */
export function titleWarning(rows: TitleRow[], headerLine: number): string {
  const named = rows.map((r) => `第 ${r.line} 行${r.text ? `「${r.text}」` : '（空行）'}`).join('、');
  return `表头在第 ${headerLine} 行，其上 ${rows.length} 行不是表头，已跳过：${named}`;
}
