import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { Evidence, NewItem } from './items.js';
import { maskDeep, maskPersonal } from '../store/mask.js';
import { DEFAULT_TIMEZONE, localDateTime } from '../store/dates.js';

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

/**
 * 'YYYY-MM-DD HH:MM:SS' on the city's wall clock at d (config city.timezone, default Asia/Shanghai): deadlines and
 * reported times are stored as that wall clock, so the colour of items and "later than now" compare with it.
 */
export function localNow(d: Date = new Date(), timeZone: string = DEFAULT_TIMEZONE): string {
  return localDateTime(d, timeZone);
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
  const rows = await store.all<Omit<BoardItem, 'evidence' | 'role'> & { evidence: string; role: string | null }>(
    sql('assign/board.sql'),
    {
      now,
      yellow_at: yellowAt,
      rid: opts.recipientId || null,
      item: opts.itemId || null,
      as_of: opts.asOf || null,
    },
  );
  // an item carries the recipient's role only on that recipient's list
  return rows.map(({ role, ...r }) => ({
    ...r,
    ...(opts.recipientId ? { role: role ?? undefined } : {}),
    title: maskPersonal(r.title),
    evidence: maskDeep(JSON.parse(r.evidence) as Evidence),
  }));
}
