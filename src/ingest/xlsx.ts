import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { ident } from '../store/sql.js';
import { createUnreadable, type Source, TempRowWriter, uniqueHeaders, viewOverRows } from './staging.js';
import { type HeaderTest, headerIndex, MAX_TITLE_ROWS, type TitleRow, titleText } from './title-rows.js';
import {
  dateStyles,
  parseXml,
  serialToLocal,
  sharedStrings,
  ooxmlText,
  workbookSheets,
  type SheetRef,
} from './xlsx-parts.js';
import { openEntry, zipEntriesOfFile, type ZipEntry } from './zip.js';

/**
 * Bounds on one workbook, checked before and while it is read: the file (bytes), what its zip says it unpacks to
 * (and what it really unpacks to, stopped at the first byte over), and the rows and columns actually present. A
 * workbook over one is refused whole, with the bound in the reason.
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

/** A workbook checked and opened: its zip entries, the sheet to read, and what the cells refer to. */
interface Book {
  path: string;
  entries: Map<string, ZipEntry>;
  sheet: SheetRef;
  strings: string[];
  dates: boolean[];
  date1904: boolean;
  limits: XlsxLimits;
}

/**
 * XLSX: the first sheet (or the mapping's `sheet`), first non-empty row = headers, `_line` = the Excel row number.
 * Only a real OOXML workbook is read (zip signature and xl/workbook.xml): an HTML table or a CSV named .xlsx is
 * refused rather than guessed at. The sheet is streamed: its part is inflated and parsed as XML events a chunk at
 * a time and each row goes to DuckDB as it ends, so memory holds the shared strings (the distinct texts) and one
 * chunk of rows, never the sheet. Rows and columns are counted from the cells present, never from the sheet's own
 * `<dimension>` claim. Cells formatted as dates are written as local 'YYYY-MM-DD HH:MM:SS' from their serial number
 * (no time-zone shift); a plain number in a time column is still read as an Excel serial by the SQL.
 */
export async function readXlsx(
  store: Store,
  path: string,
  sheetName?: string,
  given: Partial<XlsxLimits> = {},
  isHeader?: HeaderTest,
): Promise<Source> {
  const limits = { ...XLSX_LIMITS, ...given };
  const book = await openBook(path, sheetName, limits);
  const sink = new RowSink(store, isHeader);
  try {
    await streamRows(
      book,
      (line, cells) => sink.push(line, cells),
      () => sink.flush(),
    );
    await sink.flush(true);
  } finally {
    sink.close();
  }
  if (!sink.headers) throw new UserError(`${path}：工作表 '${sheetName ?? 1}' 是空的`);
  await viewOverRows(store, 'ingest_xlsx', sink.headers);
  await createUnreadable(store);
  const title = sink.title.length ? { title: sink.title, headerLine: sink.headerLine } : {};
  return { headers: sink.headers, linesExact: true, cleanup: () => {}, ...title };
}

/** Check the container and read the small parts: sheet list, shared strings, styles. */
async function openBook(path: string, sheetName: string | undefined, limits: XlsxLimits): Promise<Book> {
  const bytes = statSync(path).size;
  if (bytes > limits.maxBytes)
    throw new UserError(`${path}：文件 ${bytes} 字节，超过上限 ${limits.maxBytes}（配置 ingest.xlsx.max_bytes）`);
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  const n = readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (n < 4 || head.readUInt32LE(0) !== 0x04034b50)
    throw new UserError(`${path}：不是 XLSX 工作簿（没有 zip 文件头；是改名为 .xlsx 的网页或 CSV 吗？）`);
  const list = zipEntriesOfFile(path);
  const entries = new Map(list.map((e) => [e.name, e]));
  if (!entries.has('xl/workbook.xml')) throw new UserError(`${path}：不是 XLSX 工作簿（压缩包中没有 xl/workbook.xml）`);
  const unzipped = list.reduce((s, e) => s + e.size, 0);
  if (unzipped > limits.maxUnzippedBytes)
    throw new UserError(
      `${path}：解压后 ${unzipped} 字节，超过上限 ${limits.maxUnzippedBytes}（配置 ingest.xlsx.max_unzipped_bytes）`,
    );
  const part = (name: string) => {
    const e = entries.get(name);
    return e ? openEntry(path, e, limits.maxUnzippedBytes) : undefined;
  };
  const { sheets, date1904 } = await workbookSheets(
    part('xl/workbook.xml')!,
    part('xl/_rels/workbook.xml.rels'),
    `${path}：xl/workbook.xml`,
  );
  const sheet = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
  if (!sheet || !entries.has(sheet.path))
    throw new UserError(
      `${path}：没有工作表${sheetName ? ` '${sheetName}'` : ''}（现有工作表：${sheets.map((s) => s.name).join('、')}）`,
    );
  const sst = part('xl/sharedStrings.xml');
  const styles = part('xl/styles.xml');
  return {
    path,
    entries,
    sheet,
    strings: sst ? await sharedStrings(sst, `${path}：xl/sharedStrings.xml`) : [],
    dates: styles ? await dateStyles(styles, `${path}：xl/styles.xml`) : [],
    date1904,
    limits,
  };
}

/** 'AB12' → 27 (0-based column of a cell reference). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** One cell's text as the rows carry it (null for an empty cell or an error value). */
function cellText(book: Book, type: string, raw: string | undefined, style: number): string | null {
  if (raw === undefined) return null;
  switch (type) {
    case 's':
      return book.strings[Number(raw)] ?? null;
    case 'inlineStr':
    case 'str':
      return ooxmlText(raw);
    case 'b':
      return raw === '1' || raw === 'true' ? 'true' : 'false';
    case 'e':
      return null;
    case 'd':
      return raw;
    default: {
      if (raw.trim() === '') return null;
      const v = Number(raw);
      if (!Number.isFinite(v)) return raw;
      return book.dates[style] ? serialToLocal(v, book.date1904) : String(v);
    }
  }
}

/**
 * The sheet's rows in order, each handed to `onRow` as it closes (`afterChunk` is awaited between input chunks).
 * Counts rows and columns as they come and stops at the first one over a limit.
 */
async function streamRows(
  book: Book,
  onRow: (line: number, cells: Array<string | null>) => void,
  afterChunk: () => Promise<void>,
): Promise<void> {
  const { path, limits } = book;
  let cells: Array<string | null> = [];
  let line = 0;
  let rows = 0;
  let col = -1;
  let type = 'n';
  let style = 0;
  let raw: string | undefined;
  let capture = false;
  let inline = false;
  let phonetic = 0;
  const stream = openEntry(path, book.entries.get(book.sheet.path)!, limits.maxUnzippedBytes);
  await parseXml(stream, `${path}：${book.sheet.path}`, {
    open(name, a) {
      if (name === 'row') {
        line = a.r ? Number(a.r) : line + 1;
        cells = [];
        col = -1;
        // the header row and the rows allowed, then one more tells that the limit was passed
        if (++rows > limits.maxRows + 1)
          throw new UserError(`${path}：超过 ${limits.maxRows} 行（配置 ingest.xlsx.max_rows）`);
      } else if (name === 'c') {
        col = a.r ? columnOf(a.r) : col + 1;
        if (col >= limits.maxColumns)
          throw new UserError(`${path}：${col + 1} 列，超过上限 ${limits.maxColumns}（配置 ingest.xlsx.max_columns）`);
        type = a.t ?? 'n';
        style = a.s ? Number(a.s) : 0;
        raw = undefined;
      } else if (name === 'v' || (name === 't' && inline && !phonetic)) {
        capture = true;
        raw ??= '';
      } else if (name === 'is') inline = true;
      else if (name === 'rPh') phonetic++;
    },
    close(name) {
      if (name === 'v' || name === 't') capture = false;
      else if (name === 'is') inline = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'c' && col >= 0) cells[col] = cellText(book, type, raw, style);
      else if (name === 'row') onRow(line, cells);
    },
    text(t) {
      if (capture) raw += t;
    },
    afterChunk,
  });
}

/**
 * Rows into the temp table ingest_xlsx as they come: the header is the first non-empty row, or with `isHeader` the
 * first of the first few non-empty rows that names the required fields (title-rows.ts; the rows above it are kept in
 * `title` for the warning); a later row wider than the table adds columns (named 第N列（无列名）, as a blank header
 * is) before it is written.
 */
class RowSink {
  headers: string[] | undefined;
  headerLine: number | undefined;
  title: TitleRow[] = [];
  private writer: TempRowWriter | undefined;
  private pending: Array<{ line: number; cells: Array<string | null> }> = [];

  constructor(
    private readonly store: Store,
    private readonly isHeader?: HeaderTest,
  ) {}

  push(line: number, cells: Array<string | null>): void {
    // an empty row (every cell blank) is not an order: the next row is looked at
    let blank = true;
    for (let i = 0; i < cells.length && blank; i++) if (cells[i] != null && cells[i]!.trim() !== '') blank = false;
    if (!blank) this.pending.push({ line, cells });
  }

  /**
   * Write what the last chunk gave: the header row makes the table, the others are appended. Until the header is
   * found, rows wait (at most MAX_TITLE_ROWS + 1 of them, or to the sheet's end: `last`).
   */
  async flush(last = false): Promise<void> {
    if (!this.headers) {
      if (this.pending.length <= MAX_TITLE_ROWS && !last && this.isHeader) return;
      const dense = this.pending.map((r) => Array.from({ length: r.cells.length }, (_, i) => r.cells[i]));
      const k = this.isHeader && dense.length ? headerIndex(dense, this.isHeader) : 0;
      this.title = this.pending.slice(0, k).map((r, i) => ({ line: r.line, text: titleText(dense[i]) }));
      this.pending = this.pending.slice(k);
    }
    for (const { line, cells } of this.pending) {
      if (!this.headers) {
        this.headers = uniqueHeaders(Array.from({ length: cells.length }, (_, i) => cells[i]));
        this.headerLine = line;
        this.writer = await TempRowWriter.create(this.store, 'ingest_xlsx', this.headers);
        continue;
      }
      if (cells.length > this.headers.length) await this.widen(cells.length);
      this.writer!.row(line, cells);
    }
    this.pending = [];
  }

  private async widen(width: number): Promise<void> {
    const old = this.headers!;
    const names = uniqueHeaders([...old, ...Array.from({ length: width - old.length }, () => null)]);
    this.writer!.close();
    for (const h of names.slice(old.length))
      await this.store.exec(`ALTER TABLE temp.ingest_xlsx ADD COLUMN ${ident(h)} VARCHAR`);
    this.headers = names;
    this.writer = await TempRowWriter.attach(this.store, 'ingest_xlsx', names.length);
  }

  close(): void {
    this.writer?.close();
    this.writer = undefined;
  }
}
