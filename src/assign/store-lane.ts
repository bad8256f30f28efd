import { Store } from '../store/db.js';

/** Thrown to a waiting job when another process (the nightly run) holds the store longer than the lane waits. */
export class StoreBusyError extends Error {
  constructor() {
    super('store busy (a pipeline is running); retry later');
    this.name = 'StoreBusyError';
  }
}

export interface StoreLaneOptions {
  dbPath: string;
  /** How long to keep retrying to open a store another process holds, in ms. */
  lockWaitMs: number;
  /** Longest time to keep the file open while jobs keep coming, in ms; then it is let go briefly. */
  holdMs?: number;
}

interface Job {
  fn: (s: Store) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const isLock = (err: unknown) => /in use|lock/i.test((err as Error).message);
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * All store work of the server in one lane: jobs run one at a time (DuckDB allows one writer, and one connection
 * must not run two statements at once), while reading bodies and checking tokens run concurrently outside it.
 * The file is opened when work arrives and closed as soon as the lane is empty, and at least every holdMs under
 * steady load, so the nightly pipeline in another process can take the file between bursts.
 */
export class StoreLane {
  private readonly jobs: Job[] = [];
  private draining = false;

  constructor(private readonly opts: StoreLaneOptions) {}

  run<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async open(): Promise<Store> {
    const t0 = Date.now();
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      try {
        // one thread: the lane's queries are small point reads and writes, and on a busy host DuckDB's worker
        // threads cost more than they give (board read 11.6 → 5.1 ms at load 19 on 2 cores)
        return await Store.open(this.opts.dbPath, { migrate: false, threads: 1 });
      } catch (err) {
        if (!isLock(err)) throw err;
        if (Date.now() - t0 >= this.opts.lockWaitMs) throw new StoreBusyError();
        await pause(delay);
      }
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.jobs.length) {
        let store: Store;
        try {
          store = await this.open();
        } catch (err) {
          // everyone waiting now would wait just as long: answer them all
          for (const j of this.jobs.splice(0)) j.reject(err);
          break;
        }
        const opened = Date.now();
        try {
          while (this.jobs.length && Date.now() - opened < (this.opts.holdMs ?? 2000)) {
            const job = this.jobs.shift()!;
            await job.fn(store).then(job.resolve, job.reject);
          }
        } finally {
          store.close();
        }
        // held for holdMs under steady load: leave the file free for a moment, so a waiting pipeline gets it
        if (this.jobs.length) await pause(150);
      }
    } finally {
      this.draining = false;
    }
  }
}
