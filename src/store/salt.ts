import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Config } from './config.js';
import type { Store } from './db.js';
import { UserError } from './errors.js';

/** Shorter salts fall to a brute force over the ~10^10 mobile numbers; 16 bytes is the floor. */
export const MIN_SALT_BYTES = 16;

const FINGERPRINT_KEY = 'ingest.salt_fingerprint';

/**
 * The secret mixed into caller_hash. Kept outside the store (env WEISU_SALT, config `salt`, or a file next to
 * the database created once with mode 0600), so a copy of the store alone cannot be brute-forced back to phone
 * numbers. The same salt must be used for every load of a city, or repeat callers stop matching: the store keeps a
 * fingerprint of it (checkSaltFingerprint). A salt under 16 bytes is refused: an empty one made caller_hash a plain
 * sha256 of the phone number.
 */
export function resolveSalt(config: Pick<Config, 'salt'>, dbPath: string): string {
  // an empty WEISU_SALT counts as unset (env files write unset variables so); one of blanks is refused
  if (process.env.WEISU_SALT) return checked(process.env.WEISU_SALT, 'WEISU_SALT');
  if (config.salt !== undefined) return checked(config.salt, 'config salt');
  if (dbPath === ':memory:' || dbPath === '') return 'weisu-ephemeral-' + randomBytes(8).toString('hex');
  const file = dbPath + '.salt';
  if (existsSync(file)) return checked(readFileSync(file, 'utf8').trim(), file);
  const salt = randomBytes(24).toString('hex');
  writeFileSync(file, salt + '\n', { mode: 0o600 });
  return salt;
}

function checked(salt: string, where: string): string {
  if (Buffer.byteLength(salt.trim(), 'utf8') < MIN_SALT_BYTES)
    throw new UserError(`${where}：盐值（salt）短于 ${MIN_SALT_BYTES} 字节；请使用 16 字节以上的随机密钥`);
  return salt;
}

/** A short, one-way tag of the salt: tells two salts apart without revealing either. */
export function saltFingerprint(salt: string): string {
  return createHash('sha256').update('weisu salt fingerprint\0').update(salt).digest('hex').slice(0, 16);
}

/**
 * Refuse to hash callers with a salt other than the one the store was built with (a store copied without its
 * `<db>.salt` would otherwise get a new one silently, and no repeat caller would match again), unless the operator
 * asks for a new salt. A store without a fingerprint records the salt it is first given.
 */
export async function checkSaltFingerprint(store: Store, salt: string, allowNew: boolean): Promise<void> {
  const fp = saltFingerprint(salt);
  const stored = await store.value<string>('SELECT value FROM settings WHERE key = $key', { key: FINGERPRINT_KEY });
  if (stored && stored !== fp && !allowNew)
    throw new UserError(
      `${store.path}：盐值（指纹 ${fp}）不是建库时所用的（${stored}）；请恢复 ${store.path}.salt 或 WEISU_SALT，或加 --new-salt 启用新盐值（前后的来电人将无法对应）`,
    );
  if (stored !== fp)
    await store.exec('INSERT OR REPLACE INTO settings (key, value) VALUES ($key, $value)', {
      key: FINGERPRINT_KEY,
      value: fp,
    });
}
