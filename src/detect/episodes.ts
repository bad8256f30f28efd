import type { Store } from '../store/db.js';
import { addDays, daysBetween } from '../store/dates.js';
import { sql } from '../store/sql.js';
import type { Alert } from './alert.js';
import { COUNT_KINDS, type CountKind } from './kinds.js';

/** Category × place: a rise is the same rise whichever count test reports it. */
export function alarmKey(a: Pick<Alert, 'category' | 'scope'>): string {
  return `${a.category}\u0001${a.scope.level}\u0001${a.scope.district ?? ''}\u0001${a.scope.name}`;
}

/** Where the rise of each category × place alerted in the previous week's run began: key → that week's Monday. */
export type EarlierAlarms = Map<string, string>;

const isCount = (a: Alert): boolean => COUNT_KINDS.includes(a.kind as CountKind);

/** The note a continuing alert's reason ends with: the week its rise began and how many weekly runs reported it. */
export function episodeNote(since: string, weeks: number): string {
  return `；自${since.slice(5, 7).replace(/^0/, '')}月${since.slice(8).replace(/^0/, '')}日当周起持续上升，已连续${weeks}周报告`;
}

/**
 * A count alert continues a rise when the same category × place had a count alert in the previous week's run: it
 * keeps that rise's first week (`details.since`), is marked `details.continuing` with the weekly runs that have
 * reported it (`details.weeks`), so a share that rises for months
 * is one alarm that goes on, not a new one every week. Any other count alert starts a rise this week (week0).
 */
export function markEpisodes(alerts: Alert[], week0: string, earlier: EarlierAlarms): void {
  for (const a of alerts) {
    if (!isCount(a)) continue;
    const since = earlier.get(alarmKey(a));
    a.details.since = since ?? week0;
    a.details.continuing = since !== undefined;
    if (since !== undefined) {
      const weeks = Math.round(daysBetween(since, week0) / 7) + 1;
      a.details.weeks = weeks;
      a.reason += episodeNote(since, weeks);
    }
  }
}

/** The rises this run's alerts report, for the next week's run (the replays keep them in memory). */
export function alarmsOf(alerts: readonly Alert[]): EarlierAlarms {
  const out: EarlierAlarms = new Map();
  for (const a of alerts) {
    if (!isCount(a) || typeof a.details.since !== 'string') continue;
    const key = alarmKey(a);
    const prev = out.get(key);
    if (!prev || a.details.since < prev) out.set(key, a.details.since);
  }
  return out;
}

interface EarlierRow {
  category: string;
  scope_level: Alert['scope']['level'];
  scope_name: string;
  district: string | null;
  since: string;
}

/** The rises stored by the last run whose current week was the one before week0 (an as-of in week0 … week0 + 6). */
export async function storedEarlierAlarms(store: Store, week0: string): Promise<EarlierAlarms> {
  const rows = await store.all<EarlierRow>(sql('detect/earlier_alarms.sql'), {
    from: week0,
    to: addDays(week0, 6),
    prev_week: addDays(week0, -7),
  });
  const out: EarlierAlarms = new Map();
  for (const r of rows) {
    out.set(
      alarmKey({ category: r.category, scope: { level: r.scope_level, name: r.scope_name, district: r.district } }),
      r.since,
    );
  }
  return out;
}
