import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../store/errors.js';

export interface LockInfo {
  pid: number;
  host: string;
  pipeline: string;
  asOf: string;
  since: string;
}

export interface RunLock {
  readonly file: string;
  readonly info: LockInfo;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/**
 * One pipeline run at a time per store, across processes: a lock file next to the database, created
 * exclusively (O_EXCL). A lock left by a crashed process (its pid is gone on this host) is taken over, so a crash
 * never blocks the next night; a lock from another host is respected (shared storage) until removed by hand.
 */
export function acquireRunLock(dbPath: string, what: Omit<LockInfo, 'pid' | 'host' | 'since'>): RunLock {
  const file = dbPath + '.lock';
  const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...what };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      return {
        file,
        info,
        release() {
          if (released) return;
          released = true;
          const current = readLock(file);
          if (current && current.pid === info.pid && current.host === info.host) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(file);
      const stale = !holder || (holder.host === info.host && !alive(holder.pid));
      if (stale && attempt === 0) {
        rmSync(file, { force: true });
        continue;
      }
      throw new LockHeldError(file, holder);
    }
  }
  throw new LockHeldError(file, readLock(file));
}

export class LockHeldError extends UserError {
  constructor(
    readonly file: string,
    readonly holder: LockInfo | undefined,
  ) {
    super(
      holder
        ? `another run holds the store: ${holder.pipeline} as of ${holder.asOf} (pid ${holder.pid} on ${holder.host} since ${holder.since}); lock file ${file}`
        : `another run holds the store (lock file ${file})`,
    );
    this.name = 'LockHeldError';
  }
}
