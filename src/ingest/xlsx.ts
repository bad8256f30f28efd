import { readFileSync } from 'node:fs';
import XLSX from 'xlsx';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { createUnreadable, type Source, TempRowWriter, uniqueHeaders, viewOverRows } from './staging.js';

/**
 * XLSX: the first sheet (or the mapping's `sheet`), first row = headers, `_line` = the Excel row number. Cells
 * formatted as dates are written as local 'YYYY-MM-DD HH:MM:SS' from their serial number (no time-zone shift);
 * a plain number in a time column is still read as an Excel serial by the SQL.
 */
export async function readXlsx(store: Store, path: string, sheetName?: string): Promise<Source> {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(readFileSync(path), { type: 'buffer', cellDates: false, cellNF: true, cellText: false });
  } catch (err) {
    throw new UserError(`${path}: not a readable XLSX workbook (${(err as Error).message.split('\n')[0]})`);
  }
  const name = sheetName ?? wb.SheetNames[0];
  const ws = name ? wb.Sheets[name] : undefined;
  if (!ws)
    throw new UserError(`${path}: no sheet ${sheetName ? `'${sheetName}'` : ''} (sheets: ${wb.SheetNames.join(', ')})`);
  if (!ws['!ref']) throw new UserError(`${path}: sheet '${name}' is empty`);
  const range = XLSX.utils.decode_range(ws['!ref']);
  const width = range.e.c - range.s.c + 1;
  const cellText = (r: number, c: number): string | null => {
    const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
    if (!cell || cell.v === undefined || cell.v === null) return null;
    if (cell.t === 'n' && typeof cell.v === 'number' && cell.z && XLSX.SSF.is_date(String(cell.z)))
      return serialToLocal(cell.v);
    if (cell.t === 'd' && cell.v instanceof Date) return cell.v.toISOString();
    if (cell.t === 'e') return null;
    return String(cell.v);
  };
  const headers = uniqueHeaders(Array.from({ length: width }, (_, i) => cellText(range.s.r, range.s.c + i)));
  const w = await TempRowWriter.create(store, 'ingest_xlsx', headers);
  try {
    for (let r = range.s.r + 1; r <= range.e.r; r++) {
      const values = Array.from({ length: width }, (_, i) => cellText(r, range.s.c + i));
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

function serialToLocal(serial: number): string {
  const d = XLSX.SSF.parse_date_code(serial);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.y, 4)}-${p(d.m)}-${p(d.d)} ${p(d.H)}:${p(d.M)}:${p(Math.floor(d.S))}`;
}
