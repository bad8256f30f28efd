import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Config } from './config.js';

/**
 * The secret mixed into caller_hash. Kept outside the store (env WEISU_SALT, config `salt`, or a file next to
 * the database created once with mode 0600), so a copy of the store alone cannot be brute-forced back to phone
 * numbers. The same salt must be used for every load of a city, or repeat callers stop matching.
 */
export function resolveSalt(config: Pick<Config, 'salt'>, dbPath: string): string {
  if (process.env.WEISU_SALT) return process.env.WEISU_SALT;
  if (config.salt) return config.salt;
  if (dbPath === ':memory:' || dbPath === '') return 'weisu-ephemeral-' + randomBytes(8).toString('hex');
  const file = dbPath + '.salt';
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const salt = randomBytes(24).toString('hex');
  writeFileSync(file, salt + '\n', { mode: 0o600 });
  return salt;
}
