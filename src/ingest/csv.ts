import { structValue } from '@duckdb/node-api';
import { createReadStream, createWriteStream, openSync, readSync, closeSync, rmSync, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { ident, sql } from '../store/sql.js';
import type { Encoding } from './files.js';
import { createUnreadable, type Source, uniqueHeaders } from './staging.js';
import { type HeaderTest, headerIndex, MAX_TITLE_ROWS, type TitleRow, titleText } from './title-rows.js';
import { gb18030ToUtf8 } from './transcode.js';

export interface CsvOptions {
  encoding: Encoding;
  delimiter?: string;
  /** Physical lines in the file (newline count, plus one for an unterminated last line). */
  lines: number;
  /** Which of the first rows is the header (title-rows.ts); without it, the first row is. */
  isHeader?: HeaderTest;
}

/**
 * CSV into the staging view. GBK/GB18030 is transcoded to a temp UTF-8 file first (DuckDB reads UTF-8 only);
 * the header is parsed here so the read never depends on DuckDB's sniffer, which a few broken rows can fool.
 * Broken rows land in DuckDB's rejects table and from there in ingest_unreadable.
 */
export async function readCsv(store: Store, path: string, opts: CsvOptions): Promise<Source> {
  let utf8Path = path;
  let tmp: string | undefined;
  const cleanup = () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  try {
    if (opts.encoding === 'gb18030') {
      tmp = mkdtempSync(join(tmpdir(), 'weisu-ingest-'));
      utf8Path = join(tmp, 'utf8.csv');
      await gb18030ToUtf8(path, utf8Path);
    }
    const { headers, delimiter, title, skipBytes, skipLines } = readHeader(path, utf8Path, opts);
    if (skipBytes) {
      // rows above the header: the read starts at the header, and every line number is moved down by theirs
      tmp ??= mkdtempSync(join(tmpdir(), 'weisu-ingest-'));
      utf8Path = await copyFrom(utf8Path, join(tmp, 'from-header.csv'), skipBytes);
    }
    const read = () => readRecords(store, utf8Path, headers, delimiter);
    await read();
    // an unclosed quote swallows the lines after it into one rejected record: set the line aside, read again
    const broken: BrokenLine[] = [];
    for (let pass = 0; pass < MAX_REPAIRS; pass++) {
      const found = await swallowingLines(store, delimiter, headers.length);
      if (!found.length) break;
      tmp ??= mkdtempSync(join(tmpdir(), 'weisu-ingest-'));
      const repaired = join(tmp, `repaired-${pass}.csv`);
      const blanked = await blankLines(utf8Path, repaired, found);
      if (!blanked.length) break;
      broken.push(...blanked);
      utf8Path = repaired;
      await read();
    }
    await createSourceView(store, headers, false, skipLines);
    const rows = (await store.value<number>('SELECT count(*) FROM ingest_src_t')) ?? 0;
    const rejected = (await store.value<number>('SELECT count(*) FROM ingest_unreadable')) ?? 0;
    // Every line after the header holds one record exactly when the line count says so: then rowid + 2 is the line.
    const lines = opts.lines - skipLines;
    const linesExact = rejected === 0 && !broken.length && (lines === rows + 1 || (rows === 0 && lines <= 1));
    const finalPath = utf8Path;
    return {
      headers,
      encoding: opts.encoding,
      linesExact,
      exactLines: async () => {
        await exactCsvLines(store, finalPath, headers, skipLines);
        await addBroken(store, broken);
        await fillEmptyRaw(store, finalPath);
        if (skipLines) await store.exec('UPDATE ingest_unreadable SET line = line + $skip', { skip: skipLines });
      },
      title: title.length ? title : undefined,
      headerLine: skipLines + 1,
      cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** Re-reads after setting broken lines aside; each pass repairs every swallowing record it finds. */
const MAX_REPAIRS = 8;

/** One physical line set aside because it opens a quote that never closes; its raw text kept for the quarantine. */
interface BrokenLine {
  line: number;
  raw: string;
}

/** The file's records into ingest_src_t, the ones DuckDB could not parse into ingest_unreadable. */
async function readRecords(store: Store, path: string, headers: string[], delimiter: string): Promise<void> {
  // positional names: a header such as '2024' would move first as a key of the struct DuckDB is given
  const columns = structValue(Object.fromEntries(headers.map((_, i) => [`_c${i}`, 'VARCHAR'])));
  await store.exec('DROP TABLE IF EXISTS temp.ingest_rej_err; DROP TABLE IF EXISTS temp.ingest_rej_scan;');
  await onOneThread(store, () => store.script(sql('ingest/read_csv.sql'), { path, delim: delimiter, columns }));
  await createUnreadable(store);
  await store.exec(sql('ingest/csv_rejects.sql'));
  await explainColumnCounts(store, delimiter, headers.length);
}

/**
 * Runs `fn` with DuckDB on one thread, then gives the store back the threads it had. The staging read must keep the
 * file's record order (rowid is the record number), so it is one stream whatever the thread count: read by the
 * parallel reader, putting its chunks back in order cost 1.4-1.8 CPU-s per 1M bench rows; with parallel = false
 * alone 1.0 s in most runs but 1.9-2.2 s in a third of them (the other thread's share, not the read); on one thread
 * 1.15 s in every run (6 alternating runs each, load 11-16).
 */
async function onOneThread<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  const threads = Number(await store.value<number | string>("SELECT current_setting('threads')"));
  if (!Number.isInteger(threads) || threads < 1) return fn();
  await store.exec('SET threads = 1');
  try {
    return await fn();
  } finally {
    // a number DuckDB itself reported (SET takes no bound parameter)
    await store.exec(`SET threads = ${threads}`);
  }
}

/**
 * First lines of rejected records that swallowed whole records after them: a record spanning several lines where
 * some later line is itself a complete record (the expected field count, its quotes balanced). That is an unclosed
 * quote, not a long quoted field.
 */
async function swallowingLines(store: Store, delimiter: string, expected: number): Promise<string[]> {
  const rows = await store.all<{ raw: string }>(
    'SELECT raw FROM ingest_unreadable WHERE contains(raw, chr(10)) ORDER BY line',
  );
  const out: string[] = [];
  for (const { raw } of rows) {
    const lines = raw.replace(/\r?\n$/, '').split(/\r?\n/);
    const complete = (l: string) => countFields(l, delimiter) === expected && (l.match(/"/g)?.length ?? 0) % 2 === 0;
    if (lines.length > 1 && lines.slice(1).some(complete)) out.push(lines[0]);
  }
  return out;
}

/**
 * A copy of the file with each given line (first occurrence, in order) left empty, so every other line keeps its
 * number; returns the lines blanked with their numbers.
 */
async function blankLines(from: string, to: string, targets: string[]): Promise<BrokenLine[]> {
  const out = createWriteStream(to);
  const done: BrokenLine[] = [];
  const wanted = targets.map((t) => Buffer.from(t, 'utf8'));
  let n = 0;
  let rest = Buffer.alloc(0);
  const put = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  // one physical line (without its '\n'): written as it is, or left empty when it is the next target
  const line = async (b: Buffer) => {
    n++;
    const bare = b.length && b[b.length - 1] === 0x0d ? b.subarray(0, b.length - 1) : b;
    if (done.length < wanted.length && bare.equals(wanted[done.length])) {
      done.push({ line: n, raw: targets[done.length] });
      await put(Buffer.from('\n'));
    } else await put(Buffer.concat([b, Buffer.from('\n')]));
  };
  for await (const chunk of createReadStream(from, { highWaterMark: 1 << 20 })) {
    let buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a)) {
      await line(buf.subarray(0, i));
      buf = buf.subarray(i + 1);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length) await line(rest);
  out.end();
  await once(out, 'finish');
  return done;
}

/**
 * An unreadable row always keeps its raw text: where DuckDB gave none, the physical line it starts on is read back
 * from the file (after exactLines, so the line numbers are the file's).
 */
async function fillEmptyRaw(store: Store, path: string): Promise<void> {
  const empty = await store.all<{ line: number }>(
    "SELECT line FROM ingest_unreadable WHERE coalesce(raw, '') = '' ORDER BY line",
  );
  if (!empty.length) return;
  const want = new Set(empty.map((r) => Number(r.line)));
  const found = new Map<number, string>();
  let n = 0;
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a)) {
      if (want.has(++n)) found.set(n, buf.subarray(0, i).toString('utf8').replace(/\r$/, ''));
      buf = buf.subarray(i + 1);
    }
    rest = Buffer.from(buf);
    if (found.size === want.size) break;
  }
  if (rest.length && want.has(++n)) found.set(n, rest.toString('utf8'));
  for (const [line, raw] of found)
    await store.exec('UPDATE ingest_unreadable SET raw = $raw WHERE line = $line', { line, raw });
}

/** The blanked lines into ingest_unreadable, after line numbers were made exact (theirs are physical already). */
async function addBroken(store: Store, broken: BrokenLine[]): Promise<void> {
  for (const b of broken)
    await store.exec('INSERT INTO ingest_unreadable (line, reason, code, raw) VALUES ($line, $reason, $code, $raw)', {
      line: b.line,
      reason: '无法读取的行：引号开始后没有结束（此行已隔离，其后的行照常读入）',
      code: 'unclosed_quote',
      raw: b.raw,
    });
}

/**
 * The view ingest_src over the rows DuckDB read: _rec counts records from 0; _line is the record number + 1 (the
 * header is line 1), or with `linemap` the true line from ingest_linemap (written by exactCsvLines).
 */
async function createSourceView(store: Store, headers: string[], linemap: boolean, skip: number): Promise<void> {
  const cols = headers.map((h, i) => `s._c${i} AS ${ident(h)}`).join(', ');
  // rowids of a table created inside a transaction do not start at 0 (and exceed 2^53): count from the first. The
  // first is written into the view as a constant: a scalar subquery there would make every scan single-threaded.
  const first = (await store.value<string>('SELECT coalesce(min(rowid), 0)::VARCHAR FROM ingest_src_t'))!;
  if (!/^-?\d+$/.test(first)) throw new Error(`unexpected rowid ${first}`);
  const base = `SELECT rowid - ${first}::BIGINT AS _rec, * FROM ingest_src_t`;
  // (skip: lines above the header, a count csv.ts made; written in as a constant, as `first` is)
  if (!Number.isInteger(skip) || skip < 0) throw new Error(`unexpected skip ${skip}`);
  await store.exec(
    linemap
      ? `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT s._rec, coalesce(m.line, s._rec + 2) + ${skip} AS _line, ${cols} FROM (${base}) s LEFT JOIN ingest_linemap m ON m._rec = s._rec`
      : `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT s._rec, s._rec + 2 + ${skip} AS _line, ${cols} FROM (${base}) s`,
  );
}

/** Where a CSV's header is, and what it names (headerFromText). */
export interface CsvHeader {
  headers: string[];
  delimiter: string;
  /** Rows above the header, skipped. */
  title: TitleRow[];
  /** Bytes and physical lines before the header (0 when it is the first row). */
  skipBytes: number;
  skipLines: number;
}

function readHeader(original: string, path: string, opts: CsvOptions): CsvHeader {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return headerFromText(original, buf.subarray(0, n).toString('utf8'), opts.delimiter, opts.isHeader);
}

/**
 * The header record among the first records of a CSV text (title-rows.ts): names, the delimiter (found on that
 * record), the rows above it and how much of the text they take. Without `isHeader` the first record is the header.
 */
export function headerFromText(original: string, start: string, forced?: string, isHeader?: HeaderTest): CsvHeader {
  const records = firstRecords(start, isHeader ? MAX_TITLE_ROWS + 1 : 1);
  const split = records.map((r) => splitRecord(r.text, forced ?? detectDelimiter(r.text)));
  const k = isHeader ? headerIndex(split, isHeader) : 0;
  const text = records[k]?.text ?? '';
  if (!text.trim()) throw new UserError(`${original}：空文件，或表头行为空`);
  const delimiter = forced ?? detectDelimiter(text);
  const lineOf = (r: { at: number }) => 1 + countNewlines(start, r.at);
  return {
    headers: uniqueHeaders(split[k]),
    delimiter,
    title: records.slice(0, k).map((r, i) => ({ line: lineOf(r), text: titleText(split[i]) })),
    skipBytes: k ? Buffer.byteLength(start.slice(0, records[k].at), 'utf8') : 0,
    skipLines: k ? lineOf(records[k]) - 1 : 0,
  };
}

/** The first `n` records of a text (quote-aware), each with where it starts; a byte-order mark is no part of one. */
function firstRecords(start: string, n: number): Array<{ at: number; text: string }> {
  const out: Array<{ at: number; text: string }> = [];
  let at = start.startsWith('\uFEFF') ? 1 : 0;
  while (out.length < n && at < start.length) {
    const end = at + headerEnd(start.slice(at));
    out.push({ at, text: start.slice(at, end).replace(/\r$/, '') });
    at = end + 1;
  }
  return out;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A copy of a file from byte `from` on, at `to`. */
async function copyFrom(path: string, to: string, from: number): Promise<string> {
  const out = createWriteStream(to);
  for await (const chunk of createReadStream(path, { start: from, highWaterMark: 1 << 20 }))
    if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return to;
}

function headerEnd(text: string): number {
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') q = !q;
    else if (c === '\n' && !q) return i;
  }
  return text.length;
}

function detectDelimiter(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    const count = splitRecord(header, d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function splitRecord(line: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === delim) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * True line numbers, computed only when the file has multi-line fields, blank lines or unreadable rows (then
 * record number + 1 is not the line). DuckDB numbers records (a quoted newline does not count, a blank line does); this scan walks the
 * bytes with the same quoting rules and maps each kept record to the physical line it starts on.
 */
async function exactCsvLines(store: Store, path: string, headers: string[], skip: number): Promise<void> {
  const rejected = new Set(
    (await store.all<{ line: number }>('SELECT line FROM ingest_unreadable')).map((r) => r.line),
  );
  const keptLines: number[] = [];
  const rejectedPhys = new Map<number, number>();
  let inQuote = false;
  let phys = 1;
  let duck = 1;
  let start = 1;
  let blank = true;
  const finish = () => {
    if (duck >= 2) {
      if (rejected.has(duck)) rejectedPhys.set(duck, start);
      else if (!blank) keptLines.push(start);
    }
    duck++;
    blank = true;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === 0x22) {
        inQuote = !inQuote;
        blank = false;
      } else if (b === 0x0a) {
        phys++;
        if (!inQuote) {
          finish();
          start = phys;
        }
      } else if (b !== 0x0d) blank = false;
    }
  }
  if (!blank) finish();
  const rows = (await store.value<number>('SELECT count(*) FROM ingest_src_t')) ?? 0;
  if (keptLines.length !== rows) return; // quoting the scan did not follow: keep DuckDB's record numbers
  await store.exec('CREATE OR REPLACE TEMP TABLE ingest_linemap (_rec BIGINT, line BIGINT)');
  await appendPairs(
    store,
    'ingest_linemap',
    keptLines.map((line, i) => [i, line]),
  );
  await createSourceView(store, headers, true, skip);
  if (rejectedPhys.size) {
    await store.exec('CREATE OR REPLACE TEMP TABLE ingest_line_fix (record BIGINT, line BIGINT)');
    await appendPairs(store, 'ingest_line_fix', [...rejectedPhys]);
    await store.exec(sql('ingest/csv_rejected_lines.sql'));
  }
}

/** Rows of two BIGINTs into a temp table, by DuckDB's appender (numbers are never written into SQL text). */
async function appendPairs(store: Store, table: string, pairs: Array<[number, number]>): Promise<void> {
  const app = await store.conn.createAppender(table, 'main', 'temp');
  for (const [a, b] of pairs) {
    app.appendBigInt(BigInt(a));
    app.appendBigInt(BigInt(b));
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
}

/** Fields in one CSV record (quote-aware: a delimiter inside "…" does not count). */
function countFields(line: string, delimiter: string): number {
  let n = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && line.startsWith(delimiter, i)) n++;
  }
  return n;
}

/**
 * DuckDB's message for a row with too few or too many fields counts oddly ("Expected Number of Columns: 16 Found:
 * 10" for a row of 4), so the reason gives the row's own count: "wrong number of fields (expected 16, found 4)".
 */
async function explainColumnCounts(store: Store, delimiter: string, expected: number): Promise<void> {
  const rows = await store.all<{ line: number; raw: string }>(sql('ingest/csv_count_errors.sql'));
  for (const r of rows) {
    const found = countFields(r.raw.replace(/\r?\n$/, ''), delimiter);
    await store.exec(`UPDATE ingest_unreadable SET reason = $reason, code = 'wrong_field_count' WHERE line = $line`, {
      line: r.line,
      reason: `无法读取的行：字段数不对（应为 ${expected} 个，实际 ${found} 个）`,
    });
  }
}
