import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package root holds sql/ and data/. Walk up from this file so the same code works from src/ (tsx, vitest)
// and from dist/src/ (the built CLI).
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sql'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('weisu: cannot find the package root (package.json next to sql/)');
}

export const packageRoot: string = findRoot();
export const sqlDir: string = join(packageRoot, 'sql');
export const dataDir: string = join(packageRoot, 'data');

export function sqlPath(rel: string): string {
  return join(sqlDir, rel);
}

export function dataPath(rel: string): string {
  return join(dataDir, rel);
}

/**
 * Files weisu creates — the store and its WAL, reports, exports, pushes — are readable by the owner and the group
 * only (0640, folders 0750): they hold citizens' complaints, addresses and caller hashes. Set once for the process
 * when this module loads (every entry point imports it, before any store is opened); a worker thread cannot change
 * the umask, and there the process's own stands. Files that already exist keep their modes.
 */
export const PRIVATE_UMASK = 0o027;

export function restrictNewFileModes(): void {
  try {
    process.umask(process.umask() | PRIVATE_UMASK);
  } catch {
    /* worker threads: not allowed, and not where stores are created */
  }
}

restrictNewFileModes();
