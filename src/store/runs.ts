import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from './db.js';
import type { StageCounts } from './stage.js';

export function newRunId(pipeline: string, asOf: string): string {
  return `${pipeline}-${asOf}-${randomUUID().slice(0, 8)}`;
}

export async function startRun(store: Store, runId: string, pipeline: string, asOf: string): Promise<void> {
  await store.exec(
    `INSERT INTO runs (run_id, pipeline, as_of, started_at, status, pid, host)
     VALUES ($run_id, $pipeline, $as_of::DATE, current_localtimestamp(), 'running', $pid, $host)`,
    { run_id: runId, pipeline, as_of: asOf, pid: process.pid, host: hostname() },
  );
}

export async function finishRun(
  store: Store,
  runId: string,
  status: 'ok' | 'failed' | 'interrupted',
  counts: Record<string, StageCounts>,
  error?: string,
): Promise<void> {
  await store.exec(
    `UPDATE runs SET ended_at = current_localtimestamp(), status = $status, counts = $counts::JSON, error = $error WHERE run_id = $run_id`,
    { run_id: runId, status, counts: JSON.stringify(counts), error: error ?? null },
  );
}

export async function startStage(store: Store, runId: string, stage: string, attempt = 1): Promise<void> {
  await store.exec(
    `INSERT INTO run_stages (run_id, stage, started_at, status, attempts) VALUES ($run_id, $stage, current_localtimestamp(), 'running', $attempt)`,
    { run_id: runId, stage, attempt },
  );
}

export async function finishStage(
  store: Store,
  runId: string,
  stage: string,
  status: 'ok' | 'failed' | 'interrupted',
  counts: StageCounts,
  error?: string,
): Promise<void> {
  await store.exec(
    `UPDATE run_stages SET ended_at = current_localtimestamp(), status = $status, counts = $counts::JSON, error = $error
     WHERE run_id = $run_id AND stage = $stage AND ended_at IS NULL`,
    { run_id: runId, stage, status, counts: JSON.stringify(counts), error: error ?? null },
  );
}
