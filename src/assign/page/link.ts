import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A page link's key: one recipient and an expiry, signed with the page secret (HMAC-SHA256). It opens that
 * recipient's page until it expires and nothing else; it is not the recipient's API token, which never leaves the
 * config. Form: base64url(recipient id) . expiry (unix seconds, base 36) . signature (base64url, 128 bits).
 */
export function signKey(secret: string, recipientId: string, expiresAt: number): string {
  const id = Buffer.from(recipientId, 'utf8').toString('base64url');
  const exp = Math.floor(expiresAt).toString(36);
  return `${id}.${exp}.${mac(secret, id, exp)}`;
}

function mac(secret: string, id: string, exp: string): string {
  return createHmac('sha256', secret).update(`weisu-page|${id}|${exp}`, 'utf8').digest('base64url').slice(0, 22);
}

export type KeyCheck =
  { ok: true; recipientId: string; expiresAt: number } | { ok: false; reason: 'forged' | 'expired' };

/** Check a key's signature first (a forged key learns nothing about expiry), then its expiry against nowSec. */
export function verifyKey(secret: string, key: string, nowSec: number): KeyCheck {
  const parts = key.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[0-9a-z]+$/.test(parts[1]))
    return { ok: false, reason: 'forged' };
  const [id, exp, sig] = parts;
  const want = Buffer.from(mac(secret, id, exp));
  const got = Buffer.from(sig);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'forged' };
  const expiresAt = parseInt(exp, 36);
  if (!(expiresAt > nowSec)) return { ok: false, reason: 'expired' };
  return { ok: true, recipientId: Buffer.from(id, 'base64url').toString('utf8'), expiresAt };
}
