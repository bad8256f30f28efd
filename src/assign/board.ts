import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { Evidence, NewItem } from './items.js';
import { maskDeep, maskPersonal } from '../store/mask.js';

export type Colour = 'green' | 'yellow' | 'red' | 'done' | 'late';

/** An item as the board shows it: the item as generated (items.ts NewItem) with its status and colour now. */
export interface BoardItem extends NewItem {
  as_of: string;
  assigned_at: string;
  status: string;
  status_at: string;
  colour: Colour;
  role?: string;
}

const COLUMNS = `item_id, source, item_type, level, CAST(as_of AS VARCHAR) AS as_of, month, category, cell, grid_id, district, street,
  title, CAST(evidence AS VARCHAR) AS evidence, lead_unit, co_units, strftime(assigned_at, '%Y-%m-%d %H:%M') AS assigned_at,
  strftime(deadline, '%Y-%m-%d %H:%M') AS deadline, status, strftime(status_at, '%Y-%m-%d %H:%M') AS status_at, colour`;

/** 'YYYY-MM-DD HH:MM:SS' local time now, for the colour of items (Asia/Shanghai). */
export function localNow(d: Date = new Date()): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Items with their colour at `now` (local 'YYYY-MM-DD HH:MM:SS'); only one recipient's items when recipientId is
 * given. Evidence text is masked again on the way out.
 */
export async function board(
  store: Store,
  now: string,
  yellowAt: number,
  opts: { recipientId?: string; itemId?: string; asOf?: string } = {},
): Promise<BoardItem[]> {
  const where: string[] = [];
  const params: Record<string, string | number> = { now, yellow_at: yellowAt };
  if (opts.recipientId) {
    where.push('item_id IN (SELECT item_id FROM assignment_recipients WHERE recipient_id = $rid)');
    params.rid = opts.recipientId;
  }
  if (opts.itemId) {
    where.push('item_id = $item');
    params.item = opts.itemId;
  }
  if (opts.asOf) {
    where.push('as_of <= $as_of::DATE');
    params.as_of = opts.asOf;
  }
  const rows = await store.all<Omit<BoardItem, 'evidence'> & { evidence: string }>(
    `WITH board AS (${sql('assign/board.sql')})
     SELECT ${COLUMNS}${opts.recipientId ? `, (SELECT role FROM assignment_recipients r WHERE r.item_id = board.item_id AND r.recipient_id = $rid) AS role` : ''}
     FROM board ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
     ORDER BY CASE colour WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END, deadline, item_id`,
    params,
  );
  return rows.map((r) => ({
    ...r,
    title: maskPersonal(r.title),
    evidence: maskDeep(JSON.parse(r.evidence) as Evidence),
  }));
}
