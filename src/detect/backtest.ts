import type { Config } from '../store/config.js';
import type { Store } from '../store/db.js';
import { addDays, daysBetween, weekStart } from '../store/dates.js';
import { median } from '../stats/median.js';
import { sql } from '../store/sql.js';
import type { PlantedEvent, Truth } from '../synth/truth.js';
import type { Alert } from './alert.js';
import { detectAlerts, type TestedSeries } from './compute.js';

/**
 * Scoring alerts against planted truth, shared by `weisu backtest alerts` and the bench (which scores R's
 * Farrington and EARS on the same rules).
 *
 * Rules:
 * - an alert matches an event when its category is the event's (a level-3 event's is its leaf), an ancestor or a
 *   descendant of it; its scope is the event's, an ancestor (district of a street, the city) or a descendant; its
 *   window covers at least a week of the event (an alarm whose window holds one day of a rise is a coincidence, for
 *   any method); and its kind fits (new_topic events need a new_topic alert; the others any of yoy, mom, trend,
 *   spike).
 * - detection delay = weekly runs from the event's first full Monday–Sunday week to the first as-of with a
 *   matching alert: an as-of is the morning after the week it looks at, so a rise caught by the run that first
 *   sees a whole week of it has delay 1, and one caught from its partial first week has delay 0. (Counting from
 *   the first day instead would charge a rise that starts on a Saturday a week it cannot be seen in; that
 *   count is kept as delay_days.)
 * - an alert on a series above the event (a parent category or a wider place) catches it only when no other planted
 *   count rise that reaches that series (related to it by the rules above) covers a week of the alert's window too:
 *   such an alarm is as likely the other rise's (a 大类 lifted by a city-wide rise in one 中类 is no catch of a creep in another 小类 of it), for any
 *   method. An alert on the event's own series or below it always counts.
 * - a quiet unit is a tested category × scope at one as-of with no planted event related to it (same rules for
 *   category and scope) active in the 8 weeks the tests look back, nor ended less than 4 weeks before that; a
 *   false alarm is a quiet unit with at least one alert.
 */

export interface Scope {
  level: 'city' | 'district' | 'street';
  name: string;
  district?: string | null;
}

export interface ScoredAlert {
  category: string;
  scope: Scope;
  kind: string;
  window_start: string;
  window_end: string;
}

export interface Unit {
  category: string;
  scope: Scope;
}

/** What a method said at one weekly as-of. */
export interface WeekOutput {
  asOf: string;
  alerts: ScoredAlert[];
  units: Unit[];
}

export interface EventScore {
  id: string;
  kind: string;
  category: string;
  scope: string;
  start: string;
  end: string;
  magnitude: number;
  /** A rise planted in one level-3 category (truth `leaf`). */
  level3: boolean;
  detected: boolean;
  first_as_of: string | null;
  /** Weekly runs from the event's first full week (see the rules above). */
  delay_weeks: number | null;
  /** Days from the event's first day to the detecting as-of. */
  delay_days: number | null;
  kinds: string[];
}

/** Weekly runs between an event's first full Monday–Sunday week and the as-of that caught it. */
export function delayWeeks(start: string, detectedAsOf: string): number {
  const firstFullWeek = weekStart(start) === start ? start : addDays(weekStart(start), 7);
  return Math.max(0, Math.ceil(daysBetween(firstFullWeek, detectedAsOf) / 7));
}

export interface BacktestReport {
  method: string;
  from: string;
  to: string;
  weeks: number;
  events: EventScore[];
  pod: Record<
    string,
    {
      events: number;
      detected: number;
      pod: number | null;
      median_delay_weeks: number | null;
      median_delay_days: number | null;
    }
  >;
  false_alarms: { quiet_units: number; alarms: number; per_100: number; by_kind: Record<string, number> };
  seconds: number;
}

export function weeklyAsOfs(from: string, to: string): string[] {
  const out: string[] = [];
  let d = weekStart(from);
  if (d < from) d = addDays(d, 7);
  for (; d <= to; d = addDays(d, 7)) out.push(d);
  return out;
}

const COUNT_ALERT_KINDS = new Set(['yoy', 'mom', 'trend', 'spike']);
const QUIET_LOOKBACK_DAYS = 56;
const QUIET_GUARD_DAYS = 28;

const SCOPE_RANK: Record<Scope['level'], number> = { city: 0, district: 1, street: 2 };

export class Relations {
  constructor(
    private readonly streetDistrict: ReadonlyMap<string, string>,
    private readonly city: string,
  ) {}

  static async load(store: Store, city: string): Promise<Relations> {
    const rows = await store.all<{ street: string; district: string }>(sql('detect/street_districts.sql'));
    return new Relations(new Map(rows.map((r) => [r.street, r.district])), city);
  }

  private districtOf(s: Scope): string | null {
    if (s.level === 'city') return null;
    if (s.level === 'district') return s.name;
    return s.district ?? this.streetDistrict.get(s.name) ?? null;
  }

  /** The same category, or one an ancestor of the other (paths joined by '/': 'l1' ⊃ 'l1/l2' ⊃ 'l1/l2/l3'). */
  categoryRelated(a: string, b: string): boolean {
    return a === b || a.startsWith(b + '/') || b.startsWith(a + '/');
  }

  scopeRelated(a: Scope, b: Scope): boolean {
    if (a.level === 'city' || b.level === 'city') return true;
    if (a.level === 'district' || b.level === 'district') return this.districtOf(a) === this.districtOf(b);
    return a.name === b.name && this.districtOf(a) === this.districtOf(b);
  }

  /** a is b or a category under it (a longer path). */
  categoryWithin(a: string, b: string): boolean {
    return a === b || a.startsWith(b + '/');
  }

  /** a is b or a place inside it (a street of a district, anything in the city). */
  scopeWithin(a: Scope, b: Scope): boolean {
    return SCOPE_RANK[a.level] >= SCOPE_RANK[b.level] && this.scopeRelated(a, b);
  }

  eventScope(e: PlantedEvent): Scope {
    return e.scope.level === 'city' ? { level: 'city', name: this.city } : { level: e.scope.level, name: e.scope.name };
  }
}

function medianOrNull(xs: number[]): number | null {
  return xs.length ? median(xs) : null;
}

/** The category an event's extra orders carry: its leaf for a level-3 event, else its (level-2) category. */
export function eventCategory(e: PlantedEvent): string {
  return e.leaf ?? e.category;
}

/** Days of the event [start, end) an alert's window [window_start, window_end] covers. */
export function coveredDays(a: Pick<ScoredAlert, 'window_start' | 'window_end'>, e: PlantedEvent): number {
  const from = a.window_start > e.start ? a.window_start : e.start;
  const to = addDays(a.window_end, 1) < e.end ? addDays(a.window_end, 1) : e.end;
  return Math.max(0, daysBetween(from, to));
}

/** An alert catches an event only when its window covers at least a week of it: one day is a coincidence. */
export const MIN_COVERED_DAYS = 7;

/** Whether an alert on a series above event e is as likely another planted count rise inside it (see the rules). */
function sharedWithOther(a: ScoredAlert, e: PlantedEvent, others: readonly PlantedEvent[], rel: Relations): boolean {
  if (rel.categoryWithin(a.category, eventCategory(e)) && rel.scopeWithin(a.scope, rel.eventScope(e))) return false;
  return others.some(
    (o) =>
      o !== e &&
      o.kind !== 'new_topic' &&
      rel.categoryRelated(eventCategory(o), a.category) &&
      rel.scopeRelated(rel.eventScope(o), a.scope) &&
      coveredDays(a, o) >= MIN_COVERED_DAYS,
  );
}

function scoreEvent(
  e: PlantedEvent,
  outputs: readonly WeekOutput[],
  rel: Relations,
  others: readonly PlantedEvent[],
): EventScore {
  const scope = rel.eventScope(e);
  const category = eventCategory(e);
  let first: string | null = null;
  const kinds = new Set<string>();
  for (const o of outputs) {
    if (o.asOf <= e.start || o.asOf > addDays(e.end, 14)) continue;
    const hit = o.alerts.filter(
      (a) =>
        (e.kind === 'new_topic' ? a.kind === 'new_topic' : COUNT_ALERT_KINDS.has(a.kind)) &&
        rel.categoryRelated(a.category, category) &&
        rel.scopeRelated(a.scope, scope) &&
        coveredDays(a, e) >= MIN_COVERED_DAYS &&
        !sharedWithOther(a, e, others, rel),
    );
    if (hit.length && !first) first = o.asOf;
    if (first === o.asOf) for (const h of hit) kinds.add(h.kind);
  }
  return {
    id: e.id,
    kind: e.kind,
    category,
    scope: `${e.scope.level}:${e.scope.name}`,
    start: e.start,
    end: e.end,
    magnitude: e.magnitude,
    level3: Boolean(e.leaf),
    detected: first !== null,
    first_as_of: first,
    delay_weeks: first ? delayWeeks(e.start, first) : null,
    delay_days: first ? daysBetween(e.start, first) : null,
    kinds: [...kinds].sort(),
  };
}

/** Detection and median delay per group of events: all, each kind, level 3, and the large abrupt rises. */
function podByGroup(judged: readonly EventScore[]): BacktestReport['pod'] {
  const groups: Record<string, EventScore[]> = { all: [...judged] };
  for (const s of judged) (groups[s.kind] ??= []).push(s);
  groups['level3'] = judged.filter((s) => s.level3);
  groups['abrupt_ge50_4w'] = judged.filter(
    (s) => (s.kind === 'abrupt' || s.kind === 'citywide') && s.magnitude >= 1.5 && daysBetween(s.start, s.end) >= 28,
  );
  const pod: BacktestReport['pod'] = {};
  for (const [k, list] of Object.entries(groups)) {
    const det = list.filter((s) => s.detected);
    pod[k] = {
      events: list.length,
      detected: det.length,
      pod: list.length ? det.length / list.length : null,
      median_delay_weeks: medianOrNull(det.map((s) => s.delay_weeks!)),
      median_delay_days: medianOrNull(det.map((s) => s.delay_days!)),
    };
  }
  return pod;
}

const unitKey = (u: Unit) => `${u.category}|${u.scope.level}|${u.scope.district ?? ''}|${u.scope.name}`;

/**
 * Whether a category × scope is quiet at an as-of: no planted event related to it (same or ancestor category, same or
 * enclosing place) began before the as-of and ended less than the guard before the look-back window.
 */
export function quietAt(asOf: string, truth: Truth, rel: Relations): (u: Pick<Unit, 'category' | 'scope'>) => boolean {
  const active = truth.events.filter(
    (e) => e.start < asOf && addDays(e.end, QUIET_GUARD_DAYS) > addDays(asOf, -QUIET_LOOKBACK_DAYS),
  );
  return (u) =>
    !active.some(
      (e) => rel.categoryRelated(u.category, eventCategory(e)) && rel.scopeRelated(u.scope, rel.eventScope(e)),
    );
}

/** Quiet category-scope-weeks (no related event active) and how many of them carried an alert. */
function falseAlarms(outputs: readonly WeekOutput[], truth: Truth, rel: Relations): BacktestReport['false_alarms'] {
  let quiet = 0;
  let alarms = 0;
  const byKind: Record<string, number> = {};
  for (const o of outputs) {
    const isQuiet = quietAt(o.asOf, truth, rel);
    const units = new Map<string, Unit>();
    for (const u of o.units) units.set(unitKey(u), u);
    const alerted = new Map<string, Set<string>>();
    for (const a of o.alerts) {
      const k = unitKey(a);
      units.set(k, units.get(k) ?? { category: a.category, scope: a.scope });
      const s = alerted.get(k) ?? new Set<string>();
      s.add(a.kind);
      alerted.set(k, s);
    }
    for (const [k, u] of units) {
      if (!isQuiet(u)) continue;
      quiet++;
      const ks = alerted.get(k);
      if (ks) {
        alarms++;
        for (const kind of ks) byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
    }
  }
  return { quiet_units: quiet, alarms, per_100: quiet ? (100 * alarms) / quiet : 0, by_kind: byKind };
}

/**
 * Score weekly outputs of one method against the planted events. `scored` picks the events whose detection is scored
 * (a count method is not asked to find a new phrase); every planted event still lifts the counts of the series it
 * reaches, so none of them leaves those series quiet (an alarm on a series a new phrase's orders lift is not false).
 */
export function scoreBacktest(
  method: string,
  outputs: readonly WeekOutput[],
  truth: Truth,
  rel: Relations,
  from: string,
  to: string,
  seconds: number,
  scored: (e: PlantedEvent) => boolean = () => true,
): BacktestReport {
  const lastAsOf = outputs.length ? outputs[outputs.length - 1].asOf : to;
  const events = truth.events.filter((e) => scored(e) && e.start < lastAsOf && e.end > addDays(from, -7 * 8));
  const scores = events.map((e) => scoreEvent(e, outputs, rel, truth.events));
  // only events the window could have seen start to finish count towards detection
  const judged = scores.filter((s) => s.start >= addDays(from, -7) && s.start < lastAsOf);
  return {
    method,
    from,
    to,
    weeks: outputs.length,
    events: scores,
    pod: podByGroup(judged),
    false_alarms: falseAlarms(outputs, truth, rel),
    seconds,
  };
}

/** What a method said at one as-of, from weisu's alerts and the series it tested (the backtest's and the bench's). */
export function weekOutput(
  asOf: string,
  alerts: readonly Pick<Alert, 'category' | 'scope' | 'kind' | 'window_start' | 'window_end'>[],
  tested: readonly TestedSeries[],
): WeekOutput {
  return {
    asOf,
    alerts: alerts.map((a) => ({
      category: a.category,
      scope: a.scope,
      kind: a.kind,
      window_start: a.window_start,
      window_end: a.window_end,
    })),
    units: tested.map((s) => ({
      category: s.category,
      scope: { level: s.scopeLevel, name: s.scopeName, district: s.district },
    })),
  };
}

/** Run this stage's detection at every weekly as-of in [from, to] (nothing is written) and score it. */
export async function backtestAlerts(
  store: Store,
  config: Config,
  truth: Truth,
  from: string,
  to: string,
  progress: (done: number, total: number) => void = () => {},
): Promise<{ report: BacktestReport; outputs: WeekOutput[] }> {
  const t0 = performance.now();
  const rel = await Relations.load(store, config.city.name);
  const asOfs = weeklyAsOfs(from, to);
  const outputs: WeekOutput[] = [];
  for (const [i, asOf] of asOfs.entries()) {
    const r = await detectAlerts(store, asOf, config);
    outputs.push(weekOutput(asOf, r.alerts, r.tested));
    progress(i + 1, asOfs.length);
  }
  const report = scoreBacktest('weisu', outputs, truth, rel, from, to, (performance.now() - t0) / 1000);
  return { report, outputs };
}

export function formatReport(r: BacktestReport): string[] {
  const lines = [`${r.method}: ${r.weeks} weekly as-of dates ${r.from} … ${r.to} (${r.seconds.toFixed(1)}s)`];
  lines.push(
    '  event            kind       scope                     category                   start       detected   delay (weeks / days from start)  kinds',
  );
  for (const e of r.events) {
    lines.push(
      `  ${e.id.padEnd(16)} ${e.kind.padEnd(10)} ${e.scope.padEnd(25)} ${e.category.padEnd(26)} ${e.start}  ${(e.detected ? e.first_as_of : '—')!.padEnd(10)} ${String(e.delay_weeks ?? '—').padStart(5)} / ${String(e.delay_days ?? '—').padEnd(3)}  ${e.kinds.join(',')}`,
    );
  }
  lines.push(
    '  group               events  detected  POD    median delay (weeks from first full week / days from start)',
  );
  for (const [k, p] of Object.entries(r.pod)) {
    lines.push(
      `  ${k.padEnd(19)} ${String(p.events).padStart(6)}  ${String(p.detected).padStart(8)}  ${p.pod === null ? '  —  ' : p.pod.toFixed(2).padStart(5)}  ${p.median_delay_weeks ?? '—'} / ${p.median_delay_days ?? '—'}`,
    );
  }
  const fa = r.false_alarms;
  lines.push(
    `  false alarms: ${fa.alarms} in ${fa.quiet_units} quiet category-scope-weeks = ${fa.per_100.toFixed(2)} per 100 (${
      Object.entries(fa.by_kind)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    })`,
  );
  return lines;
}
