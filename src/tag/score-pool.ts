/**
 * Scoring workers for large runs. Scoring is plain JS on one thread; a first run or a re-tag over millions of
 * orders spreads it over worker threads while the main thread keeps DuckDB fed. Starting a worker (and building
 * its tagger) costs tens of milliseconds, so the stage only does it when there is enough to score.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PackedBatch, ScoredBatch } from './score-batch.js';
import type { WorkerInit } from './score-worker.js';

/**
 * The worker next to this module: score-worker.js in the built CLI. From TypeScript sources (vitest, tsx) the
 * worker cannot load .ts by itself (the main thread's loader hooks do not reach worker threads in Node 20), so it
 * starts with tsx's require hook and loads score-worker.ts through it.
 */
function startWorker(workerData: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./score-worker.js', here), { workerData });
  const tsx = createRequire(here).resolve('tsx/cjs/api');
  const file = fileURLToPath(new URL('./score-worker.ts', here));
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`, {
    eval: true,
    workerData,
  });
}

/** How many scoring workers to start: one per core, the main thread's own work (DuckDB I/O) is light. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class ScorePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (r: ScoredBatch) => void; reject: (e: Error) => void; worker: number }
  >();
  private readonly load: number[] = [];
  private nextId = 0;
  private failed: Error | null = null;

  constructor(size: number, init: WorkerInit) {
    for (let w = 0; w < size; w++) {
      const worker = startWorker(init);
      worker.on('message', (msg: { id: number; result: ScoredBatch }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        this.load[w]--;
        p.resolve(msg.result);
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`tag scoring worker stopped (exit code ${code})`));
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Score a batch on the least busy worker. The batch's buffers move to the worker (they are unusable here after). */
  score(batch: PackedBatch): Promise<ScoredBatch> {
    if (this.failed) return Promise.reject(this.failed);
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.load[i] < this.load[w]) w = i;
    const id = this.nextId++;
    this.load[w]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: w });
      this.workers[w].postMessage({ id, batch }, [
        batch.rn.buffer,
        batch.category.buffer,
        batch.flags.buffer,
        batch.bytes.buffer,
        batch.offsets.buffer,
      ] as ArrayBuffer[]);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error('tag scoring pool closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
