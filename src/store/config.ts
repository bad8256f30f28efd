import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.js';
import { unknownKey, unknownKeys } from './strict-keys.js';

/**
 * The whole configuration file (`--config FILE`, JSON). Top-level keys are shared facts about the city and the
 * installation; every stage reads its own section (`tag`, `spatial`, `detect`, …) with its own zod schema via
 * `section()`, so stages stay independent and unknown keys are caught where they belong.
 */
export const BaseConfigSchema = z
  .object({
    city: z
      .object({
        name: z.string().default('全市'),
        timezone: z.string().default('Asia/Shanghai'),
      })
      .prefault({}),
    /** Secret for caller_hash; WEISU_SALT overrides; otherwise a random salt kept in `<db>.salt`. */
    salt: z.string().min(8).optional(),
    /** Where `weisu run nightly` picks up new export files. */
    dropFolder: z.string().optional(),
    /** Where reports, lists and exports are written. */
    outDir: z.string().default('out'),
  })
  .loose();

export type BaseConfig = z.infer<typeof BaseConfigSchema>;

export interface Config extends BaseConfig {
  /** Directory of the config file: relative paths inside it resolve against this. */
  readonly baseDir: string;
  /** The raw parsed JSON, for stage sections. */
  readonly raw: Record<string, unknown>;
}

export function loadConfig(file?: string): Config {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
  if (file) {
    if (!existsSync(file)) throw new UserError(`找不到配置文件：${file}`);
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UserError(`配置文件 ${file} 不是有效的 JSON（${(err as Error).message}）`);
    }
    baseDir = dirname(resolve(file));
  }
  return configFrom(raw, baseDir, file ?? 'config');
}

/**
 * Every top-level key a config file may hold: the shared facts above and each stage's section. A key outside this
 * list is a typo (`detcet`) that would otherwise be ignored without a word.
 */
export const CONFIG_KEYS = [
  'city',
  'salt',
  'dropFolder',
  'outDir',
  'taxonomy',
  'units',
  'schedule',
  'ingest',
  'tag',
  'spatial',
  'forecast',
  'detect',
  'topics',
  'assign',
  'report',
  'page',
  'handlers',
  /** How a generated city was made (seed, scale, period): provenance that no stage reads. */
  'synth',
] as const;

export function configFrom(raw: Record<string, unknown>, baseDir = process.cwd(), label = 'config'): Config {
  const unknown = unknownKey(raw, CONFIG_KEYS, '');
  if (unknown) throw new UserError(`${label}: ${unknown}`);
  const parsed = BaseConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${label}: ${formatZodError(parsed.error)}`);
  return { ...parsed.data, baseDir, raw };
}

/** Parse one stage's section of the config with that stage's schema (defaults fill what is missing). */
export function section<S extends z.ZodType>(config: Config, name: string, schema: S): z.infer<S> {
  const value = config.raw[name] ?? {};
  const unknown = unknownKeys(schema, value, name);
  if (unknown) throw new UserError(`配置：${unknown}`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UserError(`配置 ${name} 部分：${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** Resolve a path from the config against the config file's folder. */
export function configPath(config: Config, p: string): string {
  return isAbsolute(p) ? p : resolve(config.baseDir, p);
}

export function formatZodError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.join('.') + ': ' : '';
  return path + issue.message;
}

/**
 * The city's IANA time zone (config `city.timezone`, default Asia/Shanghai): the zone its days are counted in — the
 * day a default `--as-of` names, the clock the scheduler's crons run on. A name the runtime does not know is refused
 * in one line.
 */
export function cityTimeZone(config: Pick<Config, 'city'>): string {
  const zone = config.city?.timezone ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new UserError(`配置 city.timezone 不是有效的时区名：${zone}（例如 Asia/Shanghai、America/Toronto）`);
  }
  return zone;
}
