import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { createUnreadable, type Source, TempRowWriter, uniqueHeaders, viewOverRows } from './staging.js';
import { zipEntries } from './zip.js';

/**
 * Bounds on one workbook, checked before and while it is parsed: the file (bytes), what its zip says it unpacks to,
 * and the rows and columns actually present. A workbook over one is refused whole, with the bound in the reason.
 */
export interface XlsxLimits {
  maxBytes: number;
  maxUnzippedBytes: number;
  maxRows: number;
  maxColumns: number;
}

export const XLSX_LIMITS: XlsxLimits = {
  maxBytes: 200 * 1024 * 1024,
  maxUnzippedBytes: 1024 * 1024 * 1024,
  maxRows: 1_048_576,
  maxColumns: 1_000,
};

/**
 * XLSX: the first sheet (or the mapping's `sheet`), first non-empty row = headers, `_line` = the Excel row number.
 * Only a real OOXML workbook is read (zip signature and xl/workbook.xml): an HTML table or a CSV named .xlsx is
 * refused rather than guessed at. The reader is @e965/xlsx 0.20.3 (SheetJS with the 2023 prototype-pollution fix;
 * the npm `xlsx` 0.18.5 has none), parsing only the one sheet, dense, and no further than the row limit. Rows and
 * columns are counted from the cells present, never from the sheet's own `<dimension>` claim. Cells formatted as
 * dates are written as local 'YYYY-MM-DD HH:MM:SS' from their serial number (no time-zone shift); a plain number in
 * a time column is still read as an Excel serial by the SQL.
 */
export async function readXlsx(
  store: Store,
  path: string,
  sheetName?: string,
  given: Partial<XlsxLimits> = {},
): Promise<Source> {
  const limits = { ...XLSX_LIMITS, ...given };
  const ws = openSheet(path, sheetName, limits);
  const rows = (ws['!data'] ?? []) as Array<Array<XLSX.CellObject | undefined> | undefined>;
  const first = rows.findIndex((r) => !!r && r.some((c) => cellText(c) !== null));
  if (first < 0) throw new UserError(`${path}: sheet '${sheetName ?? 1}' is empty`);
  // (the rows array has holes where a sheet skips empty rows: a loop, not map, sees them)
  let width = 0;
  for (let r = 0; r < rows.length; r++) width = Math.max(width, rows[r]?.length ?? 0);
  if (width > limits.maxColumns)
    throw new UserError(`${path}: ${width} columns, over the limit of ${limits.maxColumns} (ingest.xlsx.max_columns)`);
  if (rows.length - first - 1 > limits.maxRows)
    throw new UserError(`${path}: more than ${limits.maxRows} rows (ingest.xlsx.max_rows)`);
  const headers = uniqueHeaders(Array.from({ length: width }, (_, i) => cellText(rows[first]?.[i])));
  const w = await TempRowWriter.create(store, 'ingest_xlsx', headers);
  try {
    for (let r = first + 1; r < rows.length; r++) {
      const row = rows[r];
      if (!row) continue;
      const values = Array.from({ length: width }, (_, i) => cellText(row[i]));
      if (values.every((v) => v === null || v.trim() === '')) continue; // empty row
      w.row(r + 1, values);
    }
  } finally {
    w.close();
  }
  await viewOverRows(store, 'ingest_xlsx', headers);
  await createUnreadable(store);
  return { headers, linesExact: true, cleanup: () => {} };
}

/** Check the container, then parse the one sheet wanted. */
function openSheet(path: string, sheetName: string | undefined, limits: XlsxLimits): XLSX.WorkSheet {
  const bytes = statSync(path).size;
  if (bytes > limits.maxBytes)
    throw new UserError(`${path}: ${bytes} bytes, over the limit of ${limits.maxBytes} (ingest.xlsx.max_bytes)`);
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  const n = readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (n < 4 || head.readUInt32LE(0) !== 0x04034b50)
    throw new UserError(`${path}: not an XLSX workbook (no zip signature; an HTML page or a CSV named .xlsx?)`);
  const buf = readFileSync(path);
  const entries = zipEntries(buf, path);
  if (!entries.some((e) => e.name === 'xl/workbook.xml'))
    throw new UserError(`${path}: not an XLSX workbook (no xl/workbook.xml in the zip)`);
  const unzipped = entries.reduce((s, e) => s + e.size, 0);
  if (unzipped > limits.maxUnzippedBytes)
    throw new UserError(
      `${path}: unpacks to ${unzipped} bytes, over the limit of ${limits.maxUnzippedBytes} (ingest.xlsx.max_unzipped_bytes)`,
    );
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(buf, {
      type: 'buffer',
      dense: true,
      sheets: sheetName ?? 0,
      // the header row, the rows allowed, and one more to tell that the limit was passed
      sheetRows: Math.min(limits.maxRows + 2, 1_048_577),
      cellDates: false,
      cellNF: true,
      cellText: false,
      cellFormula: false,
      cellHTML: false,
      bookVBA: false,
    });
  } catch (err) {
    throw new UserError(`${path}: not a readable XLSX workbook (${(err as Error).message.split('\n')[0]})`);
  }
  const name = sheetName ?? wb.SheetNames[0];
  const ws = name ? wb.Sheets[name] : undefined;
  if (!ws)
    throw new UserError(`${path}: no sheet ${sheetName ? `'${sheetName}'` : ''} (sheets: ${wb.SheetNames.join(', ')})`);
  return ws;
}

function cellText(cell: XLSX.CellObject | undefined): string | null {
  if (!cell || cell.v === undefined || cell.v === null) return null;
  if (cell.t === 'n' && typeof cell.v === 'number' && cell.z && XLSX.SSF.is_date(String(cell.z)))
    return serialToLocal(cell.v);
  if (cell.t === 'd' && cell.v instanceof Date) return cell.v.toISOString();
  if (cell.t === 'e') return null;
  return String(cell.v);
}

function serialToLocal(serial: number): string {
  const d = XLSX.SSF.parse_date_code(serial);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.y, 4)}-${p(d.m)}-${p(d.d)} ${p(d.H)}:${p(d.M)}:${p(Math.floor(d.S))}`;
}
