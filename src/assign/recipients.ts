import { createHash, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import type { AssignConfig, RecipientConfig } from './config.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The sha256 of a recipient's token, from whichever of token / tokenEnv / tokenHash the config gives. */
export function recipientTokenHash(r: RecipientConfig, env: NodeJS.ProcessEnv = process.env): string | null {
  if (r.tokenHash) return r.tokenHash;
  if (r.token) return hashToken(r.token);
  if (r.tokenEnv) {
    const v = env[r.tokenEnv];
    if (!v) throw new UserError(`recipient '${r.id}': environment variable ${r.tokenEnv} (tokenEnv) is not set`);
    if (v.length < 16) throw new UserError(`recipient '${r.id}': token in ${r.tokenEnv} is shorter than 16 characters`);
    return hashToken(v);
  }
  return null;
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * Mirror the configured recipients into the store (without URLs, secrets or plain tokens), so routing is SQL and
 * the report can name recipients. Recipients removed from the config are removed here too.
 */
export async function syncRecipients(store: Store, cfg: AssignConfig): Promise<number> {
  await store.exec('DELETE FROM recipients');
  for (const r of cfg.recipients) {
    await store.exec(
      `INSERT INTO recipients VALUES ($id, $name, $kind, $covers::JSON, $webhook_type, $token_hash, current_localtimestamp())`,
      {
        id: r.id,
        name: r.name,
        kind: r.kind,
        covers: JSON.stringify({ grids: r.grids, streets: r.streets, districts: r.districts, units: r.units }),
        webhook_type: r.webhook?.type ?? null,
        token_hash: recipientTokenHash(r),
      },
    );
  }
  return cfg.recipients.length;
}
