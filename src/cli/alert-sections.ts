import type { Alert } from '../detect/alert.js';
import { episodeNote } from '../detect/episodes.js';

/**
 * A continuing alert: the same category × place alerted in the previous week's run (detect/episodes.ts sets
 * details.continuing and details.since). Every other alert — a count alert that starts a rise, a surge forecast, a
 * new phrase — is new this week.
 */
export function isContinuing(a: Pick<Alert, 'details'>): boolean {
  return a.details.continuing === true;
}

/** How many of the alerts are new rises and how many continue one reported before (the `--json` counts). */
export function alertCounts(alerts: readonly Pick<Alert, 'details'>[]): { new: number; continuing: number } {
  const continuing = alerts.filter(isContinuing).length;
  return { new: alerts.length - continuing, continuing };
}

/**
 * A continuing alert's first week, how many weekly runs have reported it, and its reason without the episode note
 * detect appended (the section line says it in its own column).
 */
export function episodeOf(a: Pick<Alert, 'details' | 'reason'>): {
  since: string | null;
  weeks: number | null;
  reason: string;
} {
  const since = typeof a.details.since === 'string' ? a.details.since : null;
  const weeks = typeof a.details.weeks === 'number' ? a.details.weeks : null;
  const note = since !== null && weeks !== null ? episodeNote(since, weeks) : '';
  return { since, weeks, reason: note && a.reason.endsWith(note) ? a.reason.slice(0, -note.length) : a.reason };
}

function line(a: Alert, note = '', reason = a.reason || `${a.scope.name} ${a.category}`): string {
  return `  ${a.score.toFixed(1).padStart(6)}  ${a.kind.padEnd(14)} ${note}${reason}`;
}

/**
 * The text lines of `weisu alerts` for the alerts it shows: new rises first, then the continuing ones in their own
 * section with the week each began and how many weeks it has been reported — a rise reported last week is no news to
 * act on first. Without any continuing alert the list is one block, as before.
 */
export function alertLines(shown: readonly Alert[]): string[] {
  const continuing = shown.filter(isContinuing);
  if (continuing.length === 0) return shown.map((a) => line(a));
  const fresh = shown.filter((a) => !isContinuing(a));
  const out = [`新出现的上升：${fresh.length} 条`, ...fresh.map((a) => line(a))];
  out.push(`持续上升（已报告过）：${continuing.length} 条`);
  for (const a of continuing) {
    const e = episodeOf(a);
    const parts = [e.since ? `自${e.since}当周起` : '', e.weeks !== null ? `已连续${e.weeks}周报告` : ''].filter(
      Boolean,
    );
    out.push(line(a, parts.length ? `[${parts.join('，')}] ` : '', e.reason || undefined));
  }
  return out;
}
