import { addDays } from '../store/dates.js';
import { median } from '../stats/median.js';
import type { BacktestReport, EventScore } from './backtest.js';

/**
 * Delay against false alarms: one point per method and threshold, scored by the backtest's rules (backtest.ts), so
 * weisu and R's methods are compared on identical series at equal false-alarm rates (`npm run bench:alerts`).
 */

/** One method at one threshold: its false-alarm rate and, per event class, detection and median delay. */
export interface CurvePoint {
  method: string;
  family: string;
  fa: number;
  alarms: number;
  quiet: number;
  classes: Record<string, { events: number; detected: number; median: number }>;
  /** Each judged event's delay in weekly runs (null: missed), by event id. */
  delays: Record<string, number | null>;
}

/** The classes the curve is drawn for: a level-3 event is 'level3' whatever its kind. */
export const CLASSES = ['abrupt', 'creeping', 'citywide', 'level3', 'hotspot'];
export const classOf = (e: Pick<EventScore, 'kind' | 'level3'>) => (e.level3 ? 'level3' : e.kind);

/** Median delay in weeks with missed events counted as never (Infinity): half missed is a median of never. */
export function medianWithMisses(xs: number[]): number {
  return median(xs);
}

/**
 * One point from one or more backtests of the same method (several cities: their events pooled per class, their
 * alarms and quiet units summed). Only events the window saw from their start are judged.
 */
export function curvePoint(method: string, family: string, reports: readonly BacktestReport[]): CurvePoint {
  const judged = reports.flatMap((r) =>
    r.events.filter((e) => e.kind !== 'new_topic' && e.start >= addDays(r.from, -7) && e.start < r.to),
  );
  const classes: CurvePoint['classes'] = {};
  for (const c of CLASSES) {
    const list = judged.filter((e) => classOf(e) === c);
    classes[c] = {
      events: list.length,
      detected: list.filter((e) => e.detected).length,
      median: medianWithMisses(list.map((e) => (e.detected ? e.delay_weeks! : Infinity))),
    };
  }
  const alarms = reports.reduce((n, r) => n + r.false_alarms.alarms, 0);
  const quiet = reports.reduce((n, r) => n + r.false_alarms.quiet_units, 0);
  const delays = Object.fromEntries(judged.map((e) => [e.id, e.delay_weeks]));
  return { method, family, fa: quiet ? (100 * alarms) / quiet : 0, alarms, quiet, classes, delays };
}

export const fmtDelay = (x: number | null) => (x === null || x === Infinity ? '∞' : Number.isNaN(x) ? '—' : String(x));

const byFamilyThenFa = (points: readonly CurvePoint[]) =>
  [...points].sort((a, b) => a.family.localeCompare(b.family) || a.fa - b.fa);

/** The curve as a table: one row a point, per class detected/events and the median delay. */
export function formatCurve(points: readonly CurvePoint[]): string[] {
  const lines = [
    `  method / setting                    FA/100  (alarms/quiet)    ${CLASSES.map((c) => `${c} det d`.padStart(15)).join(' ')}`,
  ];
  for (const p of byFamilyThenFa(points)) {
    const cls = CLASSES.map((c) => {
      const k = p.classes[c];
      return `${k.detected}/${k.events} ${fmtDelay(k.median)}`.padStart(15);
    }).join(' ');
    lines.push(
      `  ${p.method.padEnd(34)} ${p.fa.toFixed(2).padStart(6)}  (${p.alarms}/${p.quiet})`.padEnd(64) + ` ${cls}`,
    );
  }
  return lines;
}

/** Each event's delay at every point (a column an event), for a handful of events. */
export function formatEventDelays(points: readonly CurvePoint[]): string[] {
  const ids = Object.keys(points[0]?.delays ?? {}).sort();
  const width = Math.max(6, ...ids.map((id) => id.length + 2));
  const lines = [`  ${'method / setting'.padEnd(34)} ${ids.map((id) => id.padStart(width)).join('')}`];
  for (const p of byFamilyThenFa(points)) {
    lines.push(`  ${p.method.padEnd(34)} ${ids.map((id) => fmtDelay(p.delays[id] ?? null).padStart(width)).join('')}`);
  }
  return lines;
}

/**
 * At every weisu point, each other family's best median delay per class among its settings with no more false
 * alarms than weisu's there (∞: none of them catches half the class; "none": no setting is that quiet), and
 * whether weisu is at least as fast.
 */
export function formatEqualFalseAlarms(points: readonly CurvePoint[]): { lines: string[]; losses: number } {
  const ours = points.filter((p) => p.family === 'weisu').sort((a, b) => a.fa - b.fa);
  const families = [...new Set(points.map((p) => p.family))].filter((f) => f !== 'weisu');
  const lines = ['at equal false alarms — per class: weisu median delay vs the best of each method within the same FA'];
  let losses = 0;
  for (const w of ours) {
    const parts: string[] = [];
    for (const f of families) {
      const within = points.filter((p) => p.family === f && p.fa <= w.fa);
      const cells = CLASSES.filter((c) => w.classes[c].events > 0).map((c) => {
        if (!within.length) return `${c} ${fmtDelay(w.classes[c].median)}/none`;
        const best = Math.min(
          ...within.map((p) => (Number.isNaN(p.classes[c].median) ? Infinity : p.classes[c].median)),
        );
        const ok = w.classes[c].median <= best;
        if (!ok) losses++;
        return `${c} ${fmtDelay(w.classes[c].median)}${ok ? '≤' : '>'}${fmtDelay(best)}`;
      });
      parts.push(`${f}: ${cells.join(', ')}`);
    }
    lines.push(`  ${w.method} (FA ${w.fa.toFixed(2)}): ${parts.join(' | ')}`);
  }
  lines.push(`  classes × methods × points where weisu is slower: ${losses}`);
  return { lines, losses };
}
