import { UserError } from './errors.js';

const DAY_MS = 86_400_000;

/** The zone a city's dates are counted in when its config names none (config `city.timezone`). */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** Today's date in the city's zone (default Asia/Shanghai) as YYYY-MM-DD. */
export function todayLocal(now: Date = new Date(), timeZone: string = DEFAULT_TIMEZONE): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `zone` at instant t (ms): its fields as numbers (hour 0–23). */
function wallFields(t: number, zone: string): Record<string, number> {
  let f = wallClocks.get(zone);
  if (!f) {
    const opts = { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric' } as const;
    f = new Intl.DateTimeFormat('en-US', { ...opts, hour: 'numeric', minute: 'numeric', second: 'numeric' });
    wallClocks.set(zone, f);
  }
  return Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
}

/** The offset of `zone` from UTC at instant t, in ms (from the zone's own wall clock, so daylight saving counts). */
export function zoneOffsetMs(t: number, zone: string): number {
  const p = wallFields(t, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The city's wall clock at `now` as 'YYYY-MM-DD HH:MM:SS' (default Asia/Shanghai): the form every local time is
 * stored and shown in (deadlines, reported times), so "now" compares with them as text and as TIMESTAMP.
 */
export function localDateTime(now: Date = new Date(), timeZone: string = DEFAULT_TIMEZONE): string {
  const t = now.getTime();
  return new Date(t + zoneOffsetMs(t, timeZone)).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The instant of local time `date hh:mm` in `zone`. The offset is read at the first guess and again at the result,
 * so a time just after a daylight-saving switch gets the offset in force then.
 */
export function localInstant(date: string, hour: number, minute: number, zone: string): Date {
  const wall = Date.parse(date + 'T00:00:00Z') + (hour * 60 + minute) * 60_000;
  const guess = wall - zoneOffsetMs(wall, zone);
  return new Date(wall - zoneOffsetMs(guess, zone));
}

/** Validate a --as-of value (YYYY-MM-DD, a real calendar date); default today in the city's zone. */
export function parseAsOf(
  value: string | undefined,
  option = '--as-of',
  timeZone: string = DEFAULT_TIMEZONE,
  now: Date = new Date(),
): string {
  if (value === undefined || value === '') return todayLocal(now, timeZone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new UserError(`${option} 应为 YYYY-MM-DD 格式的日期，收到的是 '${value}'`);
  const d = new Date(value + 'T00:00:00Z');
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new UserError(`${option} 不是日历上存在的日期：'${value}'`);
  return value;
}

/** Validate a --month value (YYYY-MM). */
export function parseMonth(value: string | undefined, option = '--month'): string {
  if (!value) throw new UserError(`缺少 ${option} YYYY-MM（要处理的月份，例如 ${option} 2025-11）`);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
    throw new UserError(`${option} 应为 YYYY-MM 格式的月份，收到的是 '${value ?? ''}'`);
  return value;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / DAY_MS);
}

/** Monday of the ISO week containing date. */
export function weekStart(date: string): string {
  const d = new Date(date + 'T00:00:00Z');
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -dow);
}

/** First day of the month containing date, and of the next month. */
export function monthStart(date: string): string {
  return date.slice(0, 7) + '-01';
}

/** Days in month 'YYYY-MM'. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** "2025年4月" for a month 'YYYY-MM' (or any date in it). */
export const monthLabel = (m: string): string => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`;

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const idx = y * 12 + (m - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}
