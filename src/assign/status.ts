import type { Store } from '../store/db.js';
import { maskPersonal } from '../store/mask.js';
import { DEFAULT_TIMEZONE, localDateTime } from '../store/dates.js';
import { sql } from '../store/sql.js';
import { STATUSES, type Status } from './config.js';

export function isStatus(s: string): s is Status {
  return (STATUSES as readonly string[]).includes(s);
}

/**
 * The status flow 交办 → 排查 → 整改 → 办结 → 核验, one step at a time. Repeating the current status adds a
 * progress note; 办结 may go back to 整改 when verification finds the problem not fixed (核验不通过). Returns
 * why the transition is illegal, or null.
 */
export function transitionError(from: string, to: string): string | null {
  if (!isStatus(to)) return `没有 '${to}' 这个状态（可选：${STATUSES.join(' ')}）`;
  if (from === to) return null;
  const i = STATUSES.indexOf(from as Status);
  const j = STATUSES.indexOf(to);
  if (j === i + 1) return null;
  if (from === '办结' && to === '整改') return null;
  const next = STATUSES[i + 1];
  const allowed = [from, ...(next ? [next] : []), ...(from === '办结' ? ['整改'] : [])];
  return `不能从 ${from} 改为 ${to}（${from} 之后只能是：${allowed.join('、')}）`;
}

export interface StatusUpdate {
  itemId: string;
  to: string;
  note?: string | null;
  /** Local time of the event 'YYYY-MM-DD HH:MM:SS'. */
  at: string;
  recipientId?: string | null;
  source: 'file' | 'http' | 'cli' | 'simulated';
  file?: string | null;
  line?: number | null;
  /** Idempotency key of an HTTP request: a retry with the same key is recorded once. */
  key?: string | null;
}

export type UpdateResult =
  | { ok: true; from: string; to: string; duplicate: boolean }
  | { ok: false; code: 'not_found' | 'illegal' | 'stale'; error: string };

/** Apply one status update: check it, write the history row, move the item. Call inside a transaction. */
export async function applyUpdate(store: Store, u: StatusUpdate): Promise<UpdateResult> {
  const item = await store.one<{ status: string; status_at: string; assigned_at: string }>(
    sql('assign/item_status.sql'),
    { id: u.itemId },
  );
  if (!item) return { ok: false, code: 'not_found', error: `没有事项 '${u.itemId}'` };
  const note = u.note ? maskPersonal(u.note) : null;
  // The same report arriving twice (a re-imported file, a retried request) is recorded once; two different notes
  // are two reports even when they carry the same status and second (sql/assign/feedback_duplicate.sql).
  const dup = await store.value<number>(sql('assign/feedback_duplicate.sql'), {
    id: u.itemId,
    rid: u.recipientId ?? null,
    key: u.key ?? null,
    to: u.to,
    at: u.at,
    note,
  });
  if ((dup ?? 0) > 0) return { ok: true, from: item.status, to: u.to, duplicate: true };
  const err = transitionError(item.status, u.to);
  if (err) return { ok: false, code: 'illegal', error: err };
  if (u.at < item.status_at)
    return {
      ok: false,
      code: 'stale',
      error: `时间 ${u.at} 早于事项当前状态的时间（${item.status}，${item.status_at}）`,
    };
  await store.exec(sql('assign/feedback_insert.sql'), {
    id: u.itemId,
    rid: u.recipientId ?? null,
    from: item.status,
    to: u.to,
    note,
    at: u.at,
    source: u.source,
    file: u.file ?? null,
    line: u.line ?? null,
    key: u.key ?? null,
  });
  if (u.to !== item.status) {
    await store.exec(sql('assign/status_update.sql'), { id: u.itemId, to: u.to, at: u.at });
  }
  return { ok: true, from: item.status, to: u.to, duplicate: false };
}

/**
 * Normalise a reported time ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]', ISO with offset) to 'YYYY-MM-DD HH:MM:SS' on the
 * city's wall clock (timeZone, config city.timezone): a time without offset is already that; one with an offset or
 * 'Z' names an instant, shown as the city's clock read it then.
 */
export function parseAt(value: string, timeZone: string = DEFAULT_TIMEZONE): string | null {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Number.isNaN(Date.parse(v)) ? null : `${v} 00:00:00`;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (!m) return null;
  if (m[5]) {
    const t = Date.parse(v.replace(' ', 'T'));
    if (Number.isNaN(t)) return null;
    return localDateTime(new Date(t), timeZone);
  }
  const local = `${m[1]} ${m[2]}${m[3] ?? ':00'}`;
  return Number.isNaN(Date.parse(local.replace(' ', 'T') + 'Z')) ? null : local;
}

/** How far ahead of the server's clock a reported time may be: phones and PCs whose clocks run a little fast. */
export const AT_SKEW_MINUTES = 10;

/**
 * Why a reported time is too far in the future, or null. A time later than now would freeze the item: every real
 * update after it would be refused as earlier than the item's current status.
 */
export function futureAtError(at: string, now: string, skewMinutes = AT_SKEW_MINUTES): string | null {
  const t = Date.parse(now.replace(' ', 'T') + 'Z') + skewMinutes * 60_000;
  const latest = new Date(t).toISOString().slice(0, 19).replace('T', ' ');
  return at > latest ? `${at} 晚于现在（${now}，已容许 ${skewMinutes} 分钟的时钟误差）` : null;
}
