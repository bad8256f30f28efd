import { createTask, parse } from 'node-cron';
import { addDays } from '../store/dates.js';
import { UserError } from '../store/errors.js';

export const TIMEZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China keeps UTC+8 all year (no daylight saving)

/** The instant of local time `date hh:mm` in Asia/Shanghai. */
function localInstant(date: string, hour: number, minute: number): Date {
  return new Date(Date.parse(date + 'T00:00:00Z') + (hour * 60 + minute) * 60_000 - SHANGHAI_OFFSET_MS);
}

/**
 * The as-of dates a cron expression was due on in (after, upTo]: a run that fires on local day D works "as of
 * D" (orders before D). Catch-up after downtime replays exactly these, oldest first. Day matching uses
 * node-cron's own matcher, so the semantics are the scheduler's.
 */
export function dueDates(cron: string, after: string, upTo: string, now: Date = new Date()): string[] {
  const task = createTask(cron, () => undefined, { timezone: TIMEZONE });
  const fields = parse(cron);
  const hours = [...new Set(fields.hour)].sort((a, b) => a - b);
  const minutes = [...new Set(fields.minute)].sort((a, b) => a - b);
  try {
    const out: string[] = [];
    for (let d = addDays(after, 1); d <= upTo; d = addDays(d, 1)) {
      // does the expression fire at some time of this local day that has already passed?
      let due = false;
      for (const h of hours) {
        if (due) break;
        for (const m of minutes) {
          const t = localInstant(d, h, m);
          if (t > now) break;
          if (task.match(t)) {
            due = true;
            break;
          }
        }
      }
      if (due) out.push(d);
    }
    return out;
  } finally {
    void task.destroy();
  }
}

export function assertCron(expr: string, label: string): void {
  const task = (() => {
    try {
      return createTask(expr, () => undefined, { timezone: TIMEZONE });
    } catch (err) {
      throw new UserError(`${label}：'${expr}' 不是有效的 cron 表达式（${(err as Error).message}）`);
    }
  })();
  void task.destroy();
}
