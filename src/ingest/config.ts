import { z } from 'zod';
import type { Config } from '../store/config.js';
import { cityTimeZone, section } from '../store/config.js';
import type { DateWindow } from './dates.js';
import type { XlsxLimits } from './xlsx.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** The config's `ingest` section (strict: an unknown key is named). */
export const IngestSection = z
  .object({
    /** Mapping file (relative to the config file) or preset name for files in the drop folder. */
    mapping: z.string().optional(),
    /** Plausible dates: created_at outside → quarantined, closed_at outside → emptied and counted. */
    date_window: z.object({ from: day.optional(), to: day.optional() }).strict().optional(),
    /**
     * Minutes a drop-folder file must have been left unmodified before it is read (default 5): a file still being
     * copied in waits for the next night instead of loading cut.
     */
    settle_minutes: z.number().min(0).optional(),
    /** Bounds on one workbook; a workbook over one is set aside whole. */
    xlsx: z
      .object({
        max_bytes: z.number().int().positive().optional(),
        max_unzipped_bytes: z.number().int().positive().optional(),
        max_rows: z.number().int().positive().optional(),
        max_columns: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface IngestSettings {
  mapping?: string;
  dateWindow?: Partial<DateWindow>;
  limits?: Partial<XlsxLimits>;
  settleMs: number;
  /**
   * The city's IANA time zone as the config itself names it (`city.timezone`), undefined when it names none: a time
   * written with a UTC offset is converted to it, and without it keeps the wall-clock time it states.
   */
  timezone?: string;
}

/** Minutes a drop-folder file must be left unmodified before it is read, when the config does not say. */
export const DEFAULT_SETTLE_MINUTES = 5;

/** The ingest section as IngestOptions fields. */
export function ingestSettings(config: Config): IngestSettings {
  const s = section(config, 'ingest', IngestSection);
  const x = s.xlsx ?? {};
  const limits: Partial<XlsxLimits> = {};
  if (x.max_bytes) limits.maxBytes = x.max_bytes;
  if (x.max_unzipped_bytes) limits.maxUnzippedBytes = x.max_unzipped_bytes;
  if (x.max_rows) limits.maxRows = x.max_rows;
  if (x.max_columns) limits.maxColumns = x.max_columns;
  const settleMs = (s.settle_minutes ?? DEFAULT_SETTLE_MINUTES) * 60_000;
  return { mapping: s.mapping, dateWindow: s.date_window, limits, settleMs, timezone: cityTimezone(config) };
}

/**
 * The zone `created_at` / `closed_at` are stored in, when the config names one: an export that writes its times with
 * a UTC offset (ISO 8601, Open311, a zoned Parquet or Arrow column) or as Unix epochs is read as wall-clock time in
 * the city, so a Toronto order made at 18:00 on the 24th stays on the 24th. Undefined when the config names no zone
 * (the parsed config's own default is not the user's word): ingest then keeps each offset's own wall clock. A name the
 * runtime does not know is refused before anything loads.
 */
function cityTimezone(config: Config): string | undefined {
  const named = (config.raw.city as { timezone?: string } | undefined)?.timezone;
  return named === undefined ? undefined : cityTimeZone(config);
}
