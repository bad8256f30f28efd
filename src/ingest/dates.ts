import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { sql } from '../store/sql.js';

/** The plausible window for created_at and closed_at: the days from `from` to `to`, both included ('YYYY-MM-DD'). */
export interface DateWindow {
  from: string;
  to: string;
}

/** Months of stray dates at the edges of one file's orders (sql/ingest/date_outliers.sql). */
export interface DateOutliers {
  /** Orders in those months, all told. */
  rows: number;
  months: Array<{ month: string; rows: number }>;
  /** The well-filled span of the file the stray months lie outside of. */
  sustained_from: string;
  sustained_to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The window a run accepts: the config's `ingest.date_window` where given, else 2000-01-01 (no 12345 platform
 * predates it; year 0001 or 1900 is a misread or a placeholder) up to the day after the later of the run's own day
 * and its as-of, so an order stamped tonight in a time zone ahead still loads while a typo of next year does not.
 * A back-dated run (`--as-of` in the past: a re-run, a backfill) keeps today's bound: the orders after its as-of are
 * real and load, the stages leave them out by as-of; were the bound the as-of, they would be quarantined, and a file
 * once loaded is not read again. A run dated ahead of the clock (a replay of a simulated city) moves the bound with it.
 */
export function resolveWindow(given: Partial<DateWindow> | undefined, now = new Date(), asOf?: string): DateWindow {
  const from = given?.from ?? '2000-01-01';
  const today = now.toISOString().slice(0, 10);
  const base = asOf && DAY.test(asOf) && asOf > today ? new Date(`${asOf}T00:00:00Z`) : new Date(`${today}T00:00:00Z`);
  const to = given?.to ?? new Date(base.getTime() + 86_400_000).toISOString().slice(0, 10);
  for (const [k, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!DAY.test(v) || Number.isNaN(Date.parse(v)))
      throw new UserError(`配置 ingest 部分：date_window.${k} 应为 YYYY-MM-DD 格式的日期，收到的是 '${v}'`);
  if (from > to) throw new UserError(`配置 ingest 部分：date_window.from（${from}）晚于 date_window.to（${to}）`);
  return { from, to };
}

/** What date_order.sql finds: per order, the dates only it reads, the largest day seen and one such date. */
interface DateOrderCounts {
  rows: number;
  day_first: number;
  month_first: number;
  max_first: number | null;
  max_second: number | null;
  day_first_sample: string | null;
  month_first_sample: string | null;
  sample: string | null;
}

/**
 * Day/month order of numeric dates ('1/9/19', '31.12.2017'): a warning naming the file and a format to put in the
 * mapping's timestamp_formats when the data shows the order and the mapping does not state it or states it wrongly,
 * or when the data cannot tell and the mapping is silent. Only a date readable one way alone votes, and the warning
 * quotes one: a date readable both ways proves nothing, and a garbage one ('13/45/2015 25:00:00 PM') proves nothing
 * either, where a first field over 12 alone once made a month-first file look day-first.
 */
export async function dateOrderWarning(store: Store, path: string, formats: string[]): Promise<string | undefined> {
  const probe = await store.value<number>(sql('ingest/date_order_probe.sql'));
  if (!probe) return undefined;
  const r = await store.one<DateOrderCounts>(sql('ingest/date_order.sql'));
  if (!r || !Number(r.rows)) return undefined;
  const stated = statedOrder(formats);
  if (Number(r.day_first) > 0 && Number(r.month_first) > 0)
    return (
      `${path}：日期两种写法都有：'${r.day_first_sample}'（第一段是日）和 ` +
      `'${r.month_first_sample}'（第二段是日）；请先核对导出数据，再在 timestamp_formats 中写明顺序`
    );
  const dayFirst = Number(r.day_first) > 0 ? true : Number(r.month_first) > 0 ? false : undefined;
  if (dayFirst === undefined) {
    if (stated !== undefined || !r.sample) return undefined;
    return (
      `${path}：'${r.sample}' 这样的日期既可读作日/月也可读作月/日（没有大于 12 的字段）；` +
      `请在字段映射的 timestamp_formats 中写明顺序，例如 "${suggestFormat(r.sample, false)}" 或 "${suggestFormat(r.sample, true)}"`
    );
  }
  if (stated === dayFirst) return undefined;
  const proof = (dayFirst ? r.day_first_sample : r.month_first_sample) ?? '';
  const which = dayFirst ? `第一段是日（最大 ${r.max_first}` : `第二段是日（最大 ${r.max_second}`;
  return (
    `${path}：'${proof}' 这样的日期${which}）` +
    `${stated === undefined ? '' : '，与字段映射所写的不同'}；建议 timestamp_formats: ["${suggestFormat(proof, dayFirst)}"]`
  );
}

/** True when the mapping's first numeric-date format puts the day first, false month first, undefined if none. */
function statedOrder(formats: string[]): boolean | undefined {
  for (const f of formats) {
    const d = f.indexOf('%d');
    const m = f.indexOf('%m');
    if (d >= 0 && m >= 0 && !f.startsWith('%Y') && !f.startsWith('%y')) return d < m;
  }
  return undefined;
}

/** A strptime format for one sample date: '12/31/2017 11:59:58 PM' → '%m/%d/%Y %I:%M:%S %p'. */
export function suggestFormat(sample: string, dayFirst: boolean): string {
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})(.*)$/.exec(sample.trim());
  if (!m) return dayFirst ? '%d/%m/%Y %H:%M:%S' : '%m/%d/%Y %H:%M:%S';
  const [, , sep, , year, rest] = m;
  const date = (dayFirst ? ['%d', '%m'] : ['%m', '%d']).join(sep) + sep + (year.length === 4 ? '%Y' : '%y');
  const t = /^(\s+|T)(\d{1,2}):(\d{2})(:\d{2})?(\.\d+)?(\s*)([AaPp][Mm])?\s*$/.exec(rest);
  if (!t) return date;
  const hour = t[7] ? '%I' : '%H';
  return `${date}${t[1]}${hour}:%M${t[4] ? ':%S' : ''}${t[5] ? '.%f' : ''}${t[7] ? `${t[6]}%p` : ''}`;
}

/** The stray months among the orders a batch wrote, or undefined when there are none. */
export async function dateOutliers(store: Store, batch: number): Promise<DateOutliers | undefined> {
  const rows = await store.all<{ month: string; rows: number; sustained_from: string; sustained_to: string }>(
    sql('ingest/date_outliers.sql'),
    { batch },
  );
  if (!rows.length) return undefined;
  return {
    rows: rows.reduce((n, r) => n + Number(r.rows), 0),
    months: rows.map((r) => ({ month: r.month, rows: Number(r.rows) })),
    sustained_from: rows[0].sustained_from,
    sustained_to: rows[0].sustained_to,
  };
}
