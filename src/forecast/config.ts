import { z } from 'zod';
import { section, type Config } from '../store/config.js';

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');

/** The `forecast` section of the config file. */
export const ForecastConfigSchema = z
  .object({
    /**
     * Holiday calendar: `cn` (China's official holidays, data/calendar/cn-holidays.csv; the default), `none` (no
     * holidays: a city outside China), or a path (relative to the config file) to a CSV of the same columns
     * (year,holiday,name_zh,date,start,end,source). Heating, flood season and school terms are China's rules: with
     * any calendar but `cn` they are off unless the config sets them.
     */
    calendar: z.string().min(1).default('cn'),
    /**
     * Category-name patterns (case-insensitive regular expressions) of the seasonal groups. `heating` finds the
     * categories whose step-up tells the city's own heating start (forecast/heating.ts); real taxonomies name them
     * 供暖, 暖气, 供热 or 采暖.
     */
    seasonalPatterns: z
      .object({
        heating: z.string().default('供暖|暖气|供热|采暖|heating'),
        flood: z.string().default('防汛|内涝|积水|排水|flood'),
        school: z.string().default('教育|学校|招生|入学|school'),
      })
      .prefault({}),
    /** Weeks ahead the stage writes (the CLI may ask for 1–13). */
    horizonWeeks: z.number().int().min(1).max(13).default(13),
    /** Official heating season of the city (MM-DD), or null for a city without central heating. */
    heatingStart: monthDay.nullable().default('11-15'),
    heatingEnd: monthDay.nullable().default('03-15'),
    /** Flood season (汛期), inclusive. */
    floodSeason: z.tuple([monthDay, monthDay]).nullable().default(['06-01', '09-30']),
    /**
     * Autumn term opening (MM-DD). The spring term opens on the Monday on or after the later of Spring Festival +
     * `springTermAfterFestivalDays` and `springTermEarliest`.
     */
    autumnTermStart: monthDay.nullable().default('09-01'),
    springTermAfterFestivalDays: z.number().int().min(0).max(60).default(18),
    springTermEarliest: monthDay.default('02-20'),
    /** Optional daily weather CSV (date,temp_mean_c,rain_mm), relative to the config file. */
    weather: z.string().optional(),
    /** Pairs of annual Fourier terms. */
    fourierK: z.number().int().min(1).max(12).default(6),
    /** Ridge penalty (relative to the mean IRLS weight) that keeps sparse calendar terms from wild values. */
    ridge: z.number().min(0).default(0.5),
    /** Seasonal categories get district forecasts: annual-component strength on ≥ 2 years of history. */
    seasonalStrength: z.number().min(0).max(1).default(0.4),
    /** Fewer weekly orders than this on average: too sparse to call seasonal. */
    seasonalMinWeekly: z.number().min(0).default(5),
    /**
     * The store's pooled default model (models.ts pooledDefault) is each series' model; another replaces it only
     * when its backtest error is below this share of the default's (challengerOrDefault). 0 (the default): never —
     * a year of one series' origins chose models that had fitted the year before and failed after a break (real
     * series, development origins: 1.22× → 1.08× ETS at 1–4 weeks); 1: plain lowest error.
     */
    challengerMargin: z.number().min(0).max(1).default(0),
    /** Models the selection may choose from (models.ts ModelName); unset: all of them. */
    candidates: z.array(z.string()).optional(),
    /**
     * Rolling origins (4 weeks apart) used to choose each series' model and size its interval: 13 span a year, so the
     * choice sees every phase of the season once.
     */
    selectionOrigins: z.number().int().min(2).max(26).default(13),
    /**
     * Level shifts: when each of the last this many complete weeks fell outside the chosen model's interval on the
     * same side, the model (as fitted before those weeks) is rescaled to their level. 0 turns it off.
     */
    levelShiftWeeks: z.number().int().min(0).max(12).default(4),
    /** … and only when that rescaling is at least this large (×1.25 up, or down to 1/1.25). */
    levelShiftMinFactor: z.number().min(1).default(1.25),
    /**
     * … and only when those weeks hold enough orders: the larger of their actual and expected counts averages at least
     * this many a week. On a few orders a week the rescaling moves the forecast by an order or two while the flag
     * ("×8" on an expected 0) reads like news. 0: no check.
     */
    levelShiftMinWeekly: z.number().min(0).default(5),
    /** Interval probability (0.8 = 80% interval). */
    coverage: z.number().min(0.5).max(0.99).default(0.8),
    surge: z
      .object({
        /** Forecast weeks considered, counted from the current (partial) week = 1. */
        fromWeek: z.number().int().min(1).max(13).default(2),
        toWeek: z.number().int().min(1).max(13).default(8),
        /** Warn when a week's forecast is this many times the mean of the last 4 complete weeks … */
        recentFactor: z.number().min(1).default(1.5),
        /** … or this many times the same week last year (growth-adjusted). */
        yoyFactor: z.number().min(1).default(1.3),
        /** Ignore waves smaller than this many orders in the peak week. */
        minPeak: z.number().min(0).default(20),
        /** District alerts as well as city ones. */
        districts: z.boolean().default(true),
      })
      .prefault({}),
  })
  .prefault({});

export type ForecastConfig = z.infer<typeof ForecastConfigSchema>;

/** China's seasonal windows: they apply under the `cn` calendar, or when the config names them itself. */
const CN_WINDOWS = ['heatingStart', 'heatingEnd', 'floodSeason', 'autumnTermStart'] as const;

/** Mainland China's IANA zones and aliases: the `cn` calendar is the default only for a city in one of them. */
const CHINA_ZONES = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Chungking',
  'Asia/Harbin',
  'Asia/Urumqi',
  'Asia/Kashgar',
  'PRC',
]);

export function forecastConfig(config: Config): ForecastConfig {
  const own = (config.raw.forecast ?? {}) as Record<string, unknown>;
  let cfg = section(config, 'forecast', ForecastConfigSchema);
  // a city that puts itself outside China (city.timezone "America/Toronto") and names no calendar gets none: no
  // Spring Festival terms, and no 15 November heating at 43.7° N, where the 33° N line would otherwise give it one
  if (!('calendar' in own) && !CHINA_ZONES.has(config.city?.timezone ?? 'Asia/Shanghai'))
    cfg = { ...cfg, calendar: 'none' };
  if (cfg.calendar === 'cn') return cfg;
  const out = { ...cfg };
  for (const k of CN_WINDOWS) if (!(k in own)) (out as Record<string, unknown>)[k] = null;
  return out;
}
