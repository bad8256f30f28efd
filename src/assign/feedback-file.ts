import { readFileSync, existsSync } from 'node:fs';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { UserError } from '../store/errors.js';
import { applyUpdate, futureAtError, parseAt } from './status.js';
import { localNow } from './board.js';

export interface FeedbackRow {
  line: number;
  item_id: string;
  status: string;
  note: string | null;
  at: string;
  recipient: string | null;
}

/** RFC 4180 CSV (quotes, doubled quotes, CR LF); returns rows with their 1-based starting line. */
export function parseCsv(text: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((x) => x !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  cells.push(cell);
  if (cells.some((x) => x !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

const ALIASES: Record<string, string> = {
  编号: 'item_id',
  事项编号: 'item_id',
  状态: 'status',
  进度: 'status',
  备注: 'note',
  说明: 'note',
  时间: 'at',
  回传时间: 'at',
  回传人: 'recipient',
};

/** The city's clock for a feedback file: its zone (config city.timezone) and the instant "now" (tests inject one). */
export interface FeedbackClock {
  timeZone?: string;
  now?: Date;
}

/**
 * Read a feedback file (CSV with a header, a JSON array, or JSON Lines) into validated rows; times are on the city's
 * wall clock (clock.timeZone, default Asia/Shanghai).
 */
export function readFeedbackFile(file: string, clock: FeedbackClock = {}): FeedbackRow[] {
  if (!existsSync(file)) throw new UserError(`找不到回传文件：${file}`);
  const text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  let records: Array<{ line: number; rec: Record<string, unknown> }>;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${file}：不是有效的 JSON（${(err as Error).message}）`);
    }
    if (!Array.isArray(arr)) throw new UserError(`${file}：应为由状态更新组成的 JSON 数组`);
    // a JSON array has no useful line numbers: report the element number instead
    records = arr.map((rec, i) => ({ line: i + 1, rec: rec as Record<string, unknown> }));
  } else if (trimmed.startsWith('{')) {
    records = text.split('\n').flatMap((l, i) => {
      if (!l.trim()) return [];
      try {
        return [{ line: i + 1, rec: JSON.parse(l) as Record<string, unknown> }];
      } catch {
        throw new UserError(`${file}:${i + 1}：不是有效的 JSON`);
      }
    });
  } else {
    const rows = parseCsv(text);
    if (rows.length === 0) return [];
    const header = rows[0].cells.map((h) => ALIASES[h.trim()] ?? h.trim().toLowerCase());
    for (const need of ['item_id', 'status', 'at'])
      if (!header.includes(need)) throw new UserError(`${file}:1：表头缺少 '${need}' 列`);
    records = rows
      .slice(1)
      .map((r) => ({ line: r.line, rec: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])) }));
  }
  const where = (line: number) => `${file}:${line}`;
  // a report cannot come from the future: a later time would freeze the item (status.ts futureAtError)
  const now = localNow(clock.now, clock.timeZone);
  return records.map(({ line, rec }) => {
    const norm = Object.fromEntries(Object.entries(rec ?? {}).map(([k, v]) => [ALIASES[k] ?? k, v]));
    const str = (k: string) => (norm[k] === undefined || norm[k] === null ? '' : String(norm[k]).trim());
    const item = str('item_id');
    if (!item) throw new UserError(`${where(line)} 字段 item_id：为空`);
    const status = str('status');
    if (!status) throw new UserError(`${where(line)} 字段 status：为空`);
    const atRaw = str('at');
    const at = parseAt(atRaw, clock.timeZone);
    if (!at) throw new UserError(`${where(line)} 字段 at：'${atRaw}' 不是日期或时间（YYYY-MM-DD[ HH:MM[:SS]]）`);
    if (futureAtError(at, now)) throw new UserError(`${where(line)} 字段 at：'${atRaw}' 晚于现在`);
    return { line, item_id: item, status, note: str('note') || null, at, recipient: str('recipient') || null };
  });
}

export interface ImportSummary {
  read: number;
  applied: number;
  duplicates: number;
}

/**
 * Apply a feedback file in file order, all or nothing: the first bad row aborts the import with the file, line and
 * field at fault, and nothing of the file is kept.
 */
export async function importFeedback(store: Store, file: string, clock: FeedbackClock = {}): Promise<ImportSummary> {
  const rows = readFeedbackFile(file, clock);
  const summary: ImportSummary = { read: rows.length, applied: 0, duplicates: 0 };
  await store.tx(async () => {
    for (const r of rows) {
      if (r.recipient) {
        const routed = await store.value<number>(sql('assign/is_routed.sql'), {
          item: r.item_id,
          recipient: r.recipient,
        });
        if (!routed)
          throw new UserError(`${file}:${r.line} 字段 recipient：'${r.recipient}' 不是事项 ${r.item_id} 的接收人`);
      }
      const res = await applyUpdate(store, {
        itemId: r.item_id,
        to: r.status,
        note: r.note,
        at: r.at,
        recipientId: r.recipient,
        source: 'file',
        file,
        line: r.line,
      });
      if (!res.ok)
        throw new UserError(
          `${file}:${r.line} 字段 ${res.code === 'not_found' ? 'item_id' : res.code === 'stale' ? 'at' : 'status'}：${res.error}`,
        );
      if (res.duplicate) summary.duplicates++;
      else summary.applied++;
    }
  });
  return summary;
}
