import { createHash, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/db.js';
import type { Config } from '../store/config.js';
import type { Logger } from '../store/log.js';
import { sql } from '../store/sql.js';
import type { AssignConfig, RecipientConfig } from './config.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface RecipientToken {
  /** sha256 hex of the recipient's token, or null when it has none or it cannot be read now. */
  hash: string | null;
  /** Why a configured token cannot be used now (its tokenEnv is not set, or too short); null when it can. */
  problem: string | null;
}

/** The token of a recipient, from whichever of tokenHash / token / tokenEnv the config gives. */
export function recipientToken(r: RecipientConfig, env: NodeJS.ProcessEnv = process.env): RecipientToken {
  if (r.tokenHash) return { hash: r.tokenHash, problem: null };
  if (r.token) return { hash: hashToken(r.token), problem: null };
  if (!r.tokenEnv) return { hash: null, problem: null };
  const v = env[r.tokenEnv];
  if (!v) return { hash: null, problem: `environment variable ${r.tokenEnv} (tokenEnv) is not set` };
  if (v.length < 16) return { hash: null, problem: `token in ${r.tokenEnv} is shorter than 16 characters` };
  return { hash: hashToken(v), problem: null };
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export interface SyncOptions {
  /**
   * Whether the config lists recipients at all (assign.recipients present). A command started without a config,
   * or with one that has no recipients key, leaves the stored recipients as they are: deleting them would lock
   * every worker out (401) until the next run with the config.
   */
  listed: boolean;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** Whether a config names its recipients (see SyncOptions.listed). */
export function recipientsListed(config: Config): boolean {
  const a = config.raw.assign;
  return typeof a === 'object' && a !== null && 'recipients' in a;
}

/**
 * Mirror the configured recipients into the store (without URLs, secrets or plain tokens), so routing is SQL and
 * the report can name recipients. Recipients removed from the config are removed here too. A recipient whose
 * token cannot be read now (tokenEnv unset, as under cron) keeps the token hash stored before, with a warning:
 * the others are synced and pushed as usual.
 */
export async function syncRecipients(store: Store, cfg: AssignConfig, opts: SyncOptions): Promise<number> {
  if (!opts.listed) {
    opts.log?.info({ event: 'recipients_kept' }, 'no recipients in the config: the stored recipients are kept');
    return (await store.value<number>(`SELECT count(*) FROM recipients WHERE recipient_id NOT LIKE 'auto-%'`)) ?? 0;
  }
  const ids = cfg.recipients.map((r) => r.id).join(',');
  await store.exec(`DELETE FROM recipients WHERE NOT list_contains(string_split($ids, ','), recipient_id)`, { ids });
  for (const r of cfg.recipients) {
    const t = recipientToken(r, opts.env);
    if (t.problem)
      opts.log?.warn(
        { event: 'token_unavailable', recipient: r.id, problem: t.problem },
        tokenWarning(r.id, t.problem),
      );
    await store.exec(sql('assign/recipient_upsert.sql'), {
      id: r.id,
      name: r.name,
      kind: r.kind,
      covers: JSON.stringify({ grids: r.grids, streets: r.streets, districts: r.districts, units: r.units }),
      webhook_type: r.webhook?.type ?? null,
      token_hash: t.hash,
      keep_token: t.problem !== null,
    });
  }
  return cfg.recipients.length;
}

export function tokenWarning(id: string, problem: string): string {
  return `recipient '${id}': ${problem}; its stored token is kept and its push skipped, the others go on`;
}
