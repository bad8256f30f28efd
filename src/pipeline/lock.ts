import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../store/errors.js';

export interface LockInfo {
  pid: number;
  host: string;
  pipeline: string;
  asOf: string;
  since: string;
}

/** A run that failed and could not be written to the store's `runs` table (the disk was full). */
export interface FailedRunRecord {
  run_id: string;
  pipeline: string;
  as_of: string;
  started_at: string;
  ended_at: string;
  pid: number;
  host: string;
  error: string;
}

export interface RunLock {
  readonly file: string;
  readonly info: LockInfo;
  release(): void;
  /**
   * Keep a failed run the store could not record: written over the lock file in place (its space was taken when
   * the lock was, so this works on a full disk) and renamed to `<db>.failed-run-<run id>.json`, which also
   * releases the lock. The next `run`, `runs` or `health` moves it into `runs` (runner.ts recordFailedRuns).
   */
  recordFailure(rec: FailedRunRecord): boolean;
}

/** Bytes the lock file is padded to: room for a failure record later without new disk space. */
export const LOCK_BYTES = 2048;

/** `text` padded with spaces to LOCK_BYTES (JSON ignores trailing white space). */
function padded(text: string): Buffer {
  const buf = Buffer.alloc(LOCK_BYTES, ' ');
  buf.write(text.slice(0, LOCK_BYTES), 'utf8');
  return buf;
}

/** The failure record as JSON that fits the lock file: the error message is shortened when it must be. */
function recordBytes(rec: FailedRunRecord): Buffer {
  let error = rec.error;
  let text = JSON.stringify({ ...rec, error });
  while (Buffer.byteLength(text) > LOCK_BYTES && error.length > 0) {
    error = error.slice(0, Math.floor(error.length * 0.8));
    text = JSON.stringify({ ...rec, error });
  }
  return padded(text);
}

export function failedRunFile(dbPath: string, runId: string): string {
  return `${dbPath}.failed-run-${runId}.json`;
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
      writeSync(fd, padded(JSON.stringify(info)));
      closeSync(fd);
      let released = false;
      return {
        file,
        info,
        recordFailure(rec) {
          if (released) return false;
          try {
            const out = openSync(file, 'r+');
            try {
              writeSync(out, recordBytes(rec), 0, LOCK_BYTES, 0);
            } finally {
              closeSync(out);
            }
            renameSync(file, failedRunFile(dbPath, rec.run_id));
            released = true;
            return true;
          } catch {
            return false;
          }
        },
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
        ? `另一个运行正在使用数据库：${holder.pipeline}（截至 ${holder.asOf}，进程 ${holder.pid}，主机 ${holder.host}，开始于 ${localTime(holder.since)}）；请等它结束后再试，若该进程已不存在，可删除 ${file}`
        : `另一个运行正在使用数据库（锁文件 ${file}）；请等它结束后再试`,
    );
    this.name = 'LockHeldError';
  }
}

/** An ISO time as the store's local time 'YYYY-MM-DD HH:MM:SS' (Asia/Shanghai, as every time weisu shows). */
function localTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Fail at once with the holder's name when another pipeline run holds the store, before anything opens the
 * database file (whose own lock error names only a pid). A lock of a dead process on this host does not count.
 */
export function assertNoRunLock(dbPath: string): void {
  const file = dbPath + '.lock';
  const holder = readLock(file);
  if (!holder) return;
  if (holder.host === hostname() && (!alive(holder.pid) || holder.pid === process.pid)) return;
  throw new LockHeldError(file, holder);
}
