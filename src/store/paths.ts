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
