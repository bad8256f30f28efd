import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import sax from 'sax';
import * as XLSX from '@e965/xlsx';
import { UserError } from '../store/errors.js';

/**
 * The parts of an OOXML workbook the reader needs, each parsed as a stream of XML events (sax) so no part is held
 * whole: the workbook's sheet list, the shared strings, the date styles, and the sheet's rows one at a time.
 */

type Tag = sax.Tag;
interface Handlers {
  open?: (name: string, attrs: Record<string, string>) => void;
  close?: (name: string) => void;
  text?: (t: string) => void;
  /** Awaited after each chunk of input: where what the handlers gathered is written out (bounded by a chunk). */
  afterChunk?: () => Promise<void>;
}

/** Feed a part's bytes through a strict sax parser; element names lose their namespace prefix (x:c → c). */
export async function parseXml(stream: Readable, part: string, h: Handlers): Promise<void> {
  const p = sax.parser(true, { trim: false, normalize: false, position: false });
  let failure: Error | undefined;
  const local = (n: string) => n.slice(n.indexOf(':') + 1);
  p.onopentag = (t: Tag) => h.open?.(local(t.name), t.attributes as Record<string, string>);
  p.onclosetag = (n: string) => h.close?.(local(n));
  if (h.text) p.ontext = p.oncdata = h.text;
  p.onerror = (err: Error) => {
    failure ??= err;
    p.error = null as unknown as Error;
  };
  const dec = new StringDecoder('utf8');
  try {
    for await (const chunk of stream) {
      p.write(dec.write(chunk as Buffer));
      if (failure) break;
      await h.afterChunk?.();
    }
    if (!failure) p.write(dec.end()).close();
    await h.afterChunk?.();
  } catch (err) {
    stream.destroy();
    throw err;
  }
  if (failure) {
    stream.destroy();
    throw new UserError(`${part}：不是格式正确的 XML（${failure.message.split('\n')[0]}）`);
  }
}

/**
 * A cell's text as the workbook means it: line ends as an XML parser must give them (CR LF and a lone CR are LF,
 * XML 1.0 §2.11; sax leaves them), then OOXML's escapes of characters XML cannot carry: _xHHHH_ ('_x000D_' is a
 * real carriage return, '_x005F_' a '_').
 */
export function ooxmlText(s: string): string {
  const t = s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
  if (!t.includes('_x')) return t;
  return t.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export interface SheetRef {
  name: string;
  /** Zip path of the sheet part, e.g. xl/worksheets/sheet1.xml. */
  path: string;
}

/** The workbook's sheets in order (name, relationship id) and whether it counts dates from 1904. */
export async function workbookSheets(
  wb: Readable,
  rels: Readable | undefined,
  part: string,
): Promise<{ sheets: SheetRef[]; date1904: boolean }> {
  const listed: Array<{ name: string; rid: string }> = [];
  let date1904 = false;
  await parseXml(wb, part, {
    open(name, a) {
      if (name === 'sheet') listed.push({ name: a.name ?? '', rid: a['r:id'] ?? a.id ?? '' });
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    },
  });
  const targets = new Map<string, string>();
  if (rels)
    await parseXml(rels, part, {
      open(name, a) {
        if (name === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target);
      },
    });
  const sheets = listed.map((s, i) => {
    const t = targets.get(s.rid) ?? `worksheets/sheet${i + 1}.xml`;
    // a target is relative to xl/, or absolute within the package
    return { name: s.name, path: t.startsWith('/') ? t.slice(1) : `xl/${t.replace(/^\.\//, '')}` };
  });
  return { sheets, date1904 };
}

/** The shared strings table: the text of each <si>, its phonetic runs (<rPh>) left out. */
export async function sharedStrings(stream: Readable, part: string): Promise<string[]> {
  const out: string[] = [];
  let cur = '';
  let inT = false;
  let phonetic = 0;
  await parseXml(stream, part, {
    open(name) {
      if (name === 'si') cur = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && !phonetic) inT = true;
    },
    close(name) {
      if (name === 'si') out.push(ooxmlText(cur));
      else if (name === 'rPh') phonetic--;
      else if (name === 't') inT = false;
    },
    text(t) {
      if (inT) cur += t;
    },
  });
  return out;
}

/** Built-in number formats that show a date or time (ECMA-376 18.8.30, with the CJK ids 27–36 and 50–58). */
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47]);
for (let i = 50; i <= 58; i++) BUILTIN_DATES.add(i);

/** For each cell style (the `s` of a cell, an index into <cellXfs>), whether its number format shows a date. */
export async function dateStyles(stream: Readable, part: string): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  await parseXml(stream, part, {
    open(name, a) {
      if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfs.push(Number(a.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return xfs.map((id) => {
    const code = custom.get(id);
    return code !== undefined ? XLSX.SSF.is_date(code) : BUILTIN_DATES.has(id);
  });
}

/** A serial day number (1900 or 1904 system) as local 'YYYY-MM-DD HH:MM:SS', no time zone applied. */
export function serialToLocal(serial: number, date1904: boolean): string {
  const d = XLSX.SSF.parse_date_code(serial, { date1904 });
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.y, 4)}-${p(d.m)}-${p(d.d)} ${p(d.H)}:${p(d.M)}:${p(Math.floor(d.S))}`;
}
