import { z } from 'zod';
import { cityTimeZone, configPath, section, type Config } from '../../store/config.js';
import { DEFAULT_TIMEZONE, localInstant } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { existsSync, readFileSync } from 'node:fs';
import { parseBoundaries, type Boundary } from '../../spatial/boundaries.js';
import { spatialConfig } from '../../spatial/config.js';
import { signKey } from './link.js';

/** Config section `page`: the grid worker's phone page that `weisu serve` serves and every push message links to. */
const PageSchema = z
  .object({
    /** Secret the page links are signed with (≥ 16 characters); or name an environment variable holding it. */
    secret: z.string().min(16, 'secret: at least 16 characters').optional(),
    secretEnv: z.string().default('WEISU_PAGE_SECRET'),
    /** Address the phones reach `weisu serve` at (e.g. https://weisu.example.gov.cn); links need it. */
    baseUrl: z.url().optional(),
    /** Days a link stays valid; each push sends a fresh one. */
    linkDays: z.number().positive().max(90).default(14),
  })
  .strict()
  .prefault({});

export interface PageOptions {
  secret: string;
  baseUrl: string | null;
  linkDays: number;
  /** The city's street boundaries, for the small map of each cell in its street (null: none configured). */
  streets: Boundary[] | null;
}

function secretOf(config: Config): string | null {
  const cfg = section(config, 'page', PageSchema);
  const s = cfg.secret ?? process.env[cfg.secretEnv];
  if (s !== undefined && s.length < 16)
    throw new UserError(`配置 page 部分：链接密钥（secret 或环境变量 ${cfg.secretEnv}）至少 16 个字符`);
  return s ?? null;
}

/** Street polygons with their district (property parent or district), so a street name two districts share is told apart. */
function streetsOf(file: string, names: readonly string[]): Boundary[] {
  if (!existsSync(file)) throw new UserError(`找不到边界文件：${file}`);
  return parseBoundaries(readFileSync(file, 'utf8'), file, names, ['parent', 'district']);
}

/** The page's options, or null when no secret is configured (then there is no page and no link). */
export function pageOptions(config: Config): PageOptions | null {
  const cfg = section(config, 'page', PageSchema);
  const secret = secretOf(config);
  if (!secret) return null;
  const sp = spatialConfig(config);
  const file = sp.boundaries.streets;
  return {
    secret,
    baseUrl: cfg.baseUrl ?? null,
    linkDays: cfg.linkDays,
    streets: file ? streetsOf(configPath(config, file), sp.nameProperties) : null,
  };
}

/**
 * The page link of one recipient, valid for linkDays after the later of nowMs and `until` (local 'YYYY-MM-DD HH:MM',
 * the latest deadline of the items the link is sent with): a message is often the last one for weeks, and its link
 * must still open when the item it carries is reported finished, at its deadline or a little after.
 */
export function pageLink(
  opts: Pick<PageOptions, 'secret' | 'baseUrl' | 'linkDays'>,
  recipientId: string,
  nowMs: number,
  until?: string,
  timeZone: string = DEFAULT_TIMEZONE,
): string {
  const due = until ? dueInstant(until, timeZone) : NaN;
  const from = Number.isNaN(due) ? nowMs : Math.max(nowMs, due);
  const key = signKey(opts.secret, recipientId, from / 1000 + opts.linkDays * 86_400);
  return `${(opts.baseUrl ?? '').replace(/\/+$/, '')}/m/${key}`;
}

/** The instant of a local deadline 'YYYY-MM-DD HH:MM' on the city's wall clock, or NaN when it is not one. */
function dueInstant(until: string, timeZone: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})/.exec(until);
  return m ? localInstant(m[1], Number(m[2]), Number(m[3]), timeZone).getTime() : NaN;
}

/** Makes a recipient's link; `until` is the latest deadline of the items sent with it (see pageLink). */
export type PageLinker = (recipientId: string, until?: string) => string | null;

/** For the push: each recipient's link, or null when the page has no secret or no address configured. */
export function pageLinker(config: Config, nowMs: number = Date.now()): PageLinker {
  const cfg = section(config, 'page', PageSchema);
  const secret = secretOf(config);
  if (!secret || !cfg.baseUrl) return () => null;
  const zone = cityTimeZone(config);
  return (id, until) => pageLink({ secret, baseUrl: cfg.baseUrl!, linkDays: cfg.linkDays }, id, nowMs, until, zone);
}
