import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from './db.js';
import type { StageCounts } from './stage.js';
import { sql } from './sql.js';

export function newRunId(pipeline: string, asOf: string): string {
  return `${pipeline}-${asOf}-${randomUUID().slice(0, 8)}`;
}

export async function startRun(store: Store, runId: string, pipeline: string, asOf: string): Promise<void> {
  await store.exec(sql('store/run_start.sql'), {
    run_id: runId,
    pipeline,
    as_of: asOf,
    pid: process.pid,
    host: hostname(),
  });
}

export async function finishRun(
  store: Store,
  runId: string,
  status: 'ok' | 'failed' | 'interrupted',
  counts: Record<string, StageCounts>,
  error?: string,
): Promise<void> {
  await store.exec(sql('store/run_finish.sql'), {
    run_id: runId,
    status,
    counts: JSON.stringify(counts),
    error: error ?? null,
  });
}

export async function startStage(store: Store, runId: string, stage: string, attempt = 1): Promise<void> {
  await store.exec(sql('store/stage_start.sql'), { run_id: runId, stage, attempt });
}

export async function finishStage(
  store: Store,
  runId: string,
  stage: string,
  status: 'ok' | 'failed' | 'interrupted',
  counts: StageCounts,
  error?: string,
): Promise<void> {
  await store.exec(sql('store/stage_finish.sql'), {
    run_id: runId,
    stage,
    status,
    counts: JSON.stringify(counts),
    error: error ?? null,
  });
}
