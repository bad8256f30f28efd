import { createTask, parse } from 'node-cron';
import { addDays, DEFAULT_TIMEZONE, localInstant } from '../store/dates.js';
import { UserError } from '../store/errors.js';

/**
 * The as-of dates a cron expression was due on in (after, upTo]: a run that fires on local day D (in the city's zone,
 * config `city.timezone`) works "as of D" (orders before D). Catch-up after downtime replays exactly these, oldest
 * first. Day matching uses node-cron's own matcher, so the semantics are the scheduler's.
 */
export function dueDates(
  cron: string,
  after: string,
  upTo: string,
  now: Date = new Date(),
  timeZone: string = DEFAULT_TIMEZONE,
): string[] {
  // the expression is matched on the local wall clock itself (read as UTC, which has no daylight saving), so a day
  // whose fire time the clock skips (02:30 when Toronto springs forward at 02:00) is still due that day
  const task = createTask(cron, () => undefined, { timezone: 'UTC' });
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
          if (localInstant(d, h, m, timeZone) > now) break;
          if (task.match(new Date(Date.parse(d + 'T00:00:00Z') + (h * 60 + m) * 60_000))) {
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
      return createTask(expr, () => undefined, { timezone: DEFAULT_TIMEZONE });
    } catch (err) {
      throw new UserError(`${label}：'${expr}' 不是有效的 cron 表达式（${(err as Error).message}）`);
    }
  })();
  void task.destroy();
}
